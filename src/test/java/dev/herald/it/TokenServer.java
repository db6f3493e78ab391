package dev.herald.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OAuth2 token server on loopback (JDK HttpServer) for the client credentials grant: it
 * checks the grant, the client's authentication (HTTP Basic per RFC 6749 2.3.1, or in the form),
 * the scope and the audience, counts the calls, and answers
 * {@code {"access_token":"<client>-<n>","token_type":"Bearer","expires_in":<expiresIn>}}. It can be
 * stopped and started again on its port, and made to answer a set status or body instead.
 */
final class TokenServer implements AutoCloseable {

    /** A client it knows: its secret, how it authenticates, and the scope and audience it must ask for (null: none). */
    record Client(String secret, String method, String scope, String audience) {
    }

    /** A request as it arrived: headers (lower-case names), the form, and the status it was answered with. */
    record Request(Map<String, String> headers, Map<String, String> form, int answered) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Tokens issued, in order. */
    final List<String> issued = new CopyOnWriteArrayList<>();
    /** Tokens a receiver no longer accepts (revoked). */
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    final AtomicInteger calls = new AtomicInteger();
    volatile long expiresIn = 3600;
    /** When set, every call is answered with this status and {@link #reply} instead of a token. */
    volatile int failStatus;
    volatile String reply = "";
    /** How long each answer takes: attempts that need the token meanwhile must wait for this one request. */
    volatile long delayMillis;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final int port;
    private HttpServer server;

    TokenServer() throws IOException {
        server = start(0);
        port = server.getAddress().getPort();
    }

    TokenServer client(String id, String secret, String method, String scope, String audience) {
        clients.put(id, new Client(secret, method, scope, audience));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/oauth/token";
    }

    /** Calls made with {@code clientId}'s credentials, whether answered with a token or not. */
    long callsBy(String clientId) {
        return requests.stream().filter(r -> clientId.equals(r.form().get("client_id"))
                || clientId.equals(basicId(r.headers().get("authorization")))).count();
    }

    synchronized void stop() {
        server.stop(0);
    }

    synchronized void restart() throws IOException {
        server = start(port);
    }

    private HttpServer start(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        s.createContext("/oauth/token", this::answer);
        s.start();
        return s;
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        Map<String, String> form = form(body);
        int status;
        String reply;
        String refusal = refusal(exchange.getRequestMethod(), headers, form);
        if (failStatus != 0) {
            status = failStatus;
            reply = this.reply;
        } else if (refusal != null) {
            status = refusal.equals("invalid_client") ? 401 : 400;
            reply = "{\"error\":\"" + refusal + "\"}";
        } else {
            String id = form.containsKey("client_id") ? form.get("client_id") : basicId(headers.get("authorization"));
            String token = id + "-" + (issued.size() + 1);
            issued.add(token);
            status = 200;
            reply = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}";
        }
        requests.add(new Request(headers, form, status));
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    /** The OAuth error for a request that is not a well-formed client credentials grant of a known client; null if it is. */
    private String refusal(String method, Map<String, String> headers, Map<String, String> form) {
        if (!method.equals("POST") || !String.valueOf(headers.get("content-type")).startsWith("application/x-www-form-urlencoded")
                || !"client_credentials".equals(form.get("grant_type"))) {
            return "invalid_request";
        }
        String basic = headers.get("authorization");
        String id;
        String secret;
        String method2;
        if (basic != null) {
            String[] pair = basicPair(basic);
            id = pair[0];
            secret = pair[1];
            method2 = "client_secret_basic";
            if (form.containsKey("client_secret")) {
                return "invalid_request"; // two ways at once (RFC 6749 2.3)
            }
        } else {
            id = form.get("client_id");
            secret = form.get("client_secret");
            method2 = "client_secret_post";
        }
        Client c = id == null ? null : clients.get(id);
        if (c == null || !c.secret().equals(secret) || !c.method().equals(method2)) {
            return "invalid_client";
        }
        if (!java.util.Objects.equals(c.scope(), form.get("scope"))) {
            return "invalid_scope";
        }
        if (!java.util.Objects.equals(c.audience(), form.get("audience"))) {
            return "invalid_target";
        }
        return null;
    }

    private static String basicId(String header) {
        return header == null ? null : basicPair(header)[0];
    }

    /** RFC 6749 2.3.1: base64 of the form-urlencoded id, a colon, the form-urlencoded secret. */
    private static String[] basicPair(String header) {
        String pair = new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return new String[] {decode(pair.substring(0, colon)), decode(pair.substring(colon + 1))};
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String part : body.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                form.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
            }
        }
        return form;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
