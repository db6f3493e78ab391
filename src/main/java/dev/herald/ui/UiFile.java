package dev.herald.ui;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Looks the requested name up among the packaged files: the body is the file, or the API's 404. */
public final class UiFile implements Processor {

    private final UiFiles files;

    public UiFile(UiFiles files) {
        this.files = files;
    }

    @Override
    public void process(Exchange exchange) {
        String name = exchange.getProperty(UiPath.PROPERTY, String.class);
        UiFiles.File file = files.get(name);
        if (file == null) {
            throw UiPath.notFound();
        }
        exchange.getMessage().setBody(file);
    }
}
