package dev.herald.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiver that wants an OAuth2 bearer token from {@code tokens}: a token it issued and has not
 * revoked is answered 200; anything else 401 with {@code WWW-Authenticate: Bearer}. Keeps every
 * request's Authorization header, event id and answer.
 */
final class BearerReceiver implements AutoCloseable {

    record Request(String authorization, String eventId, int answered) {
        String token() {
            return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final TokenServer tokens;
    private final HttpServer server;

    BearerReceiver(TokenServer tokens) throws IOException {
        this.tokens = tokens;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
            int status = token != null && tokens.issued.contains(token) && !tokens.revoked.contains(token) ? 200 : 401;
            requests.add(new Request(authorization, exchange.getRequestHeaders().getFirst("X-Webhook-Id"), status));
            if (status == 401) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> forEvent(String eventId) {
        return requests.stream().filter(r -> eventId.equals(r.eventId())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
