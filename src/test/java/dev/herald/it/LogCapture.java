package dev.herald.it;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Everything logged in this JVM while it is open: messages and stack traces, as text. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final StringBuffer text = new StringBuffer();

    LogCapture() {
        super("test-capture", null, null, true, Property.EMPTY_ARRAY);
        start();
        root().addAppender(this);
    }

    @Override
    public void append(LogEvent event) {
        text.append(event.getLoggerName()).append(" - ").append(event.getMessage().getFormattedMessage()).append('\n');
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            text.append(trace);
        }
    }

    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        root().removeAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LogManager.getRootLogger();
    }
}
