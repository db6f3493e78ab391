package dev.herald.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * An HTTPS receiver on 127.0.0.1 that requires a client certificate its context trusts, and keeps
 * per request the path, the client certificate's subject and the body. Plain HTTP/1.1 over the
 * JDK's SSLServerSocket (keep-alive, Content-Length bodies): unlike the JDK's HttpsServer, a
 * refused handshake ends with a TLS alert, as web servers send it, so the client hears why.
 */
final class TlsReceiver implements AutoCloseable {

    record Hit(String path, String clientSubject, String eventId, String body) {
    }

    final List<Hit> hits = new CopyOnWriteArrayList<>();
    /** Handshakes this receiver refused. */
    final List<String> refused = new CopyOnWriteArrayList<>();
    private final SSLServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    TlsReceiver(SSLContext context) throws IOException {
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        server.setNeedClientAuth(true);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    threads.execute(() -> serve((SSLSocket) s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            try {
                socket.startHandshake();
            } catch (IOException e) {
                refused.add(String.valueOf(e.getMessage()));
                return;
            }
            String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (String requestLine = line(in); requestLine != null && !requestLine.isEmpty(); requestLine = line(in)) {
                Map<String, String> headers = new TreeMap<>();
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                hits.add(new Hit(requestLine.split(" ")[1], subject, headers.get("x-webhook-id"), body));
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // The client closed the connection.
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    String url(String path) {
        return "https://127.0.0.1:" + server.getLocalPort() + path;
    }

    List<Hit> to(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
