package dev.herald.ingest;

import dev.herald.error.HeraldException;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

import java.io.File;

/**
 * Step of routes/file-source.yaml: a {@code .json} file's bytes become the body, refused when the
 * file is larger than an HTTP request may be (it is read whole; larger drops belong in .ndjson).
 */
public final class JsonFileBody implements Processor {

    private final long maxBytes;

    public JsonFileBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        File file = exchange.getMessage().getMandatoryBody(File.class);
        if (file.length() > maxBytes) {
            throw HeraldException.tooLarge(null, "the file is " + file.length() + " bytes; a .json file may hold "
                    + maxBytes + " (herald.ingest.max-request-bytes); write larger drops as .ndjson");
        }
        exchange.getMessage().setBody(exchange.getMessage().getMandatoryBody(byte[].class));
    }
}
