package dev.herald.ingest;

import dev.herald.error.HeraldException;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Says why a source's input was refused, in that source's own channel: string properties
 * on the JMS dead letter, a {@code <name>.error.txt} beside a file moved to {@code .error/}.
 */
public final class SourceErrors {

    /** JMS string properties on a dead letter. */
    public static final String REASON = "heraldReason";
    public static final String CODE = "heraldErrorCode";
    public static final String FIELD = "heraldErrorField";

    private static final Logger LOG = LoggerFactory.getLogger(SourceErrors.class);

    /** The refusal as code, message and field, whatever was thrown. */
    record Refusal(String code, String message, String field) {
        String text() {
            return code + (field == null ? "" : " at " + field) + ": " + message;
        }
    }

    static Refusal refusal(Throwable e) {
        HeraldException h = ObjectHelper.getException(HeraldException.class, e);
        if (h != null) {
            return new Refusal(h.code(), h.getMessage(), h.field());
        }
        if (ObjectHelper.getException(InvalidPayloadException.class, e) != null) {
            return new Refusal("unsupported_message", "the body must be JSON text (a JMS TextMessage or BytesMessage)", null);
        }
        return new Refusal("internal_error", String.valueOf(e.getMessage()), null);
    }

    /** Before the message goes to the dead letter queue: the reason as JMS string properties. */
    public void deadLetter(Exchange exchange) {
        Refusal r = refusal(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        exchange.getMessage().setHeader(REASON, r.text());
        exchange.getMessage().setHeader(CODE, r.code());
        if (r.field() != null) {
            exchange.getMessage().setHeader(FIELD, r.field());
        }
        LOG.warn("JMS message {} refused, sent to the dead letter queue: {}",
                exchange.getMessage().getHeader("JMSMessageID"), r.text());
    }

    /** Before the file consumer moves a refused file to .error/: writes {@code .error/<name>.error.txt}. */
    public void inboxReport(Exchange exchange) throws IOException {
        Throwable e = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Refusal r = refusal(e);
        File file = exchange.getMessage().getBody(File.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path dir = file != null ? file.toPath().resolveSibling(".error")
                : Path.of(exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class), ".error");
        Files.createDirectories(dir);
        String report = name + " was not ingested (" + Instant.now() + ")\n"
                + "code:    " + r.code() + "\n"
                + (r.field() == null ? "" : "where:   " + r.field() + "\n")
                + "reason:  " + r.message() + "\n"
                + "Fix the file and drop it in the inbox again; events with ids are not delivered twice.\n";
        Files.writeString(dir.resolve(name + ".error.txt"), report, StandardCharsets.UTF_8);
        LOG.warn("Inbox file {} refused, moved to .error/: {}", name, r.text());
    }
}
