package dev.herald.ui;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Writes a dashboard file with the headers that keep hostile data inert in the browser: a
 * Content-Security-Policy allowing only this origin's scripts and styles (no inline code, no
 * framing), nosniff, no referrer, no caching (a new Herald's files show at once).
 */
public final class UiRespond implements Processor {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    public void process(Exchange exchange) {
        Message m = exchange.getMessage();
        UiFiles.File file = m.getBody(UiFiles.File.class);
        // Camel and request headers (Authorization among them) would be sent back as response headers.
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, file.contentType());
        m.setHeader("Content-Security-Policy", CSP);
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("X-Frame-Options", "DENY");
        m.setHeader("Cache-Control", "no-store");
        m.setBody(file.bytes());
    }
}
