package dev.herald.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves {@code GET /v1/openapi.json}: the API's OpenAPI document, kept by hand in
 * {@code src/main/resources/openapi.json} (OpenApiTest fails when it and the routes disagree).
 * No API key: a client reads the description before it has one, and it holds no data.
 */
public final class OpenApiDocument implements Processor {

    static final String RESOURCE = "/openapi.json";

    private final String json = load();

    @Override
    public void process(Exchange exchange) {
        Message m = exchange.getMessage();
        // Request headers would be echoed as response headers (see ApiRespond).
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json);
    }

    private static String load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
