package dev.herald.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP receiver (JDK HttpServer) that keeps every request it got and answers a set status. */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, String> headers, byte[] body, long at, int answered) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    volatile String location;
    volatile String retryAfter;
    volatile long delayMillis;
    volatile int replyBytes;
    /** The first this many requests are answered 500 whatever {@link #status} says (a receiver that recovers). */
    volatile int failFirst;
    /** The body of every answer when set (e.g. a distinctive or hostile text); else {"received":n}. */
    volatile String reply;
    private final AtomicInteger seen = new AtomicInteger();
    private final HttpServer server;

    Receiver() throws IOException {
        this("127.0.0.1");
    }

    /** Listening on {@code host}, a loopback address (127.0.0.2 is another address Herald may judge apart). */
    Receiver(String host) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        // Several requests at once, so a slow answer to one does not hold up the others.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            int code = seen.getAndIncrement() < failFirst ? 500 : status.get();
            requests.add(new Request(exchange.getRequestURI().getPath(), headers, body, System.currentTimeMillis(), code));
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String text = this.reply;
            byte[] reply = text != null ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : replyBytes > 0 ? "y".repeat(replyBytes).getBytes()
                    : ("{\"received\":" + requests.size() + "}").getBytes();
            exchange.sendResponseHeaders(code, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    /** Event ids of the requests this receiver answered with a 2xx. */
    java.util.Set<String> okIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        requests.stream().filter(r -> r.answered() / 100 == 2).forEach(r -> ids.add(r.header("X-Webhook-Id")));
        return ids;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + path;
    }

    List<Request> to(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
