package dev.herald.ui;

import dev.herald.error.HeraldException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The packaged file a request names, from the URI exactly as the client sent it: {@code /ui}
 * and {@code /ui/} are {@code index.html}; {@code /ui/portal} (the customer portal's links) is {@code portal.html};
 * {@code /ui/app.js} is {@code app.js}. Anything a file
 * name of the dashboard never holds ({@code ..}, a backslash, a percent escape, an empty
 * segment, a control character) is refused here, before any lookup; the lookup itself
 * ({@link UiFile}) knows only the packaged files, so this is a second fence, not the only one.
 */
public final class UiPath implements Processor {

    static final String PROPERTY = "heraldUiFile";
    private static final String PREFIX = "/ui";

    @Override
    public void process(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        exchange.setProperty(PROPERTY, fileName(uri));
    }

    /** The file name under {@code ui/}; throws the API's 404 for anything else. */
    static String fileName(String uri) {
        if (uri == null) {
            throw notFound();
        }
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        // The prefix match of platform-http also takes /uix: only /ui itself and what is under /ui/.
        if (!path.startsWith(PREFIX) || path.length() > PREFIX.length() && path.charAt(PREFIX.length()) != '/') {
            throw notFound();
        }
        String name = path.length() <= PREFIX.length() + 1 ? "index.html" : path.substring(PREFIX.length() + 1);
        if (name.equals("portal")) {
            return "portal.html";
        }
        if (name.contains("..") || name.contains("//") || name.startsWith("/") || name.endsWith("/")) {
            throw notFound();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' || c == '%' || c < 0x21 || c > 0x7e) {
                throw notFound();
            }
        }
        return name;
    }

    static HeraldException notFound() {
        return new HeraldException(404, "not_found", "no such file in the dashboard; open /ui/", null);
    }
}
