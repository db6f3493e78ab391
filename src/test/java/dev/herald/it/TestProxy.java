package dev.herald.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP proxy on 127.0.0.1 for tests: CONNECT tunnels only (Herald asks for nothing else),
 * with Basic credentials it may require (407 until they come). It keeps every CONNECT it was asked
 * (the target host:port), the tunnels it opened and the bytes it carried to the targets; it can be
 * told to refuse CONNECT with 403 or to drop each tunnel once opened, and be stopped and started
 * again on the same port.
 */
final class TestProxy implements AutoCloseable {

    /** Every CONNECT target asked for (host:port as sent), granted or not. */
    final List<String> asked = new CopyOnWriteArrayList<>();
    /** Targets of the tunnels opened. */
    final List<String> tunnels = new CopyOnWriteArrayList<>();
    /** Requests that were not CONNECT (refused with 405). */
    final List<String> others = new CopyOnWriteArrayList<>();
    /** Bytes carried from Herald to the targets through the tunnels. */
    final AtomicLong bytesToTargets = new AtomicLong();
    volatile boolean refuse;
    /** Answers 200 to CONNECT, then drops the connection: a tunnel that breaks mid-way. */
    volatile boolean dropTunnels;
    private final String credentials;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    /** {@code user}/{@code password}: required as Basic Proxy-Authorization when not null. */
    TestProxy(String user, String password) throws IOException {
        this.credentials = user == null ? null
                : Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = listen(0);
        port = server.getLocalPort();
        accept(server);
    }

    int port() {
        return port;
    }

    /** Stops listening and drops every connection: Herald's next attempt finds no proxy. */
    void stop() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** Listens again on the same port. */
    void start() throws IOException {
        server = listen(port);
        accept(server);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        return s;
    }

    private void accept(ServerSocket listening) {
        Thread t = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    open.add(client);
                    Thread c = new Thread(() -> serve(client), "test-proxy-conn");
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] line = head.get(0).split(" ");
                if (!line[0].equals("CONNECT") || line.length < 3) {
                    others.add(head.get(0));
                    out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                String target = line[1];
                asked.add(target);
                if (refuse) {
                    reply(out, "403 Forbidden");
                    continue;
                }
                if (credentials != null && head.stream().noneMatch(h -> h.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)
                        && h.substring(20).trim().equals("Basic " + credentials))) {
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                if (dropTunnels) {
                    reply(out, "200 Connection established");
                    return;
                }
                int colon = target.lastIndexOf(':');
                String host = target.substring(0, colon);
                if (host.startsWith("[")) {
                    host = host.substring(1, host.length() - 1);
                }
                Socket upstream;
                try {
                    upstream = new Socket(host, Integer.parseInt(target.substring(colon + 1)));
                } catch (IOException e) {
                    reply(out, "502 Bad Gateway");
                    continue;
                }
                open.add(upstream);
                tunnels.add(target);
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread back = new Thread(() -> pump(upstream, client, null), "test-proxy-back");
                back.setDaemon(true);
                back.start();
                pump(client, upstream, bytesToTargets);
                return;
            }
        } catch (IOException e) {
            // the connection ended
        } finally {
            open.remove(client);
        }
    }

    private static void reply(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void pump(Socket from, Socket to, AtomicLong counted) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
                if (counted != null) {
                    counted.addAndGet(n);
                }
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closed already
            }
            open.remove(from);
            open.remove(to);
        }
    }

    /** The request line, then the header lines; null at the end of the stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII).stripTrailing();
                line.reset();
                if (text.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue;
                    }
                    return lines;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
