package dev.herald.it;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turning herald.secrets.key on for a database whose webhooks were stored in plain text, with
 * Herald in its own JVM as an operator runs it: once the sealing start is up, the bytes of the H2
 * file hold neither the secret nor the custom header value in any encoding H2 could have written
 * them in (H2 kept the old row versions in its file until a clean stop compacted some of it), also
 * after a kill -9 of that Herald; and the webhook still delivers with the right signature.
 */
class SealingCompactionTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final List<Process> started = new ArrayList<>();
    private Receiver receiver;

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                HeraldProcess.kill9(p);
            }
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void afterTheSealingStartTheFileHoldsNoPlainValueEvenAfterAKill9() throws Exception {
        receiver = new Receiver();
        Path data = Files.createTempDirectory("herald-sealing");
        Path file = data.resolve("herald.mv.db");
        String random = UUID.randomUUID().toString().replace("-", "");
        String secret = "plain-secret-" + random;
        String headerValue = "Bearer header-token-" + new StringBuilder(random).reverse();
        int port = HeraldApp.freePort();

        Process plain = herald(data, port, Map.of());
        HttpResponse<String> created = call(port, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/sealed")
                + "\",\"events\":[\"seal.check\"],\"secret\":\"" + secret + "\",\"signature\":{\"scheme\":\"hmac-sha256\"},"
                + "\"headers\":{\"X-Api-Key\":\"" + headerValue + "\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String hook = new ObjectMapper().readTree(created.body()).get("id").asText();
        // Changed once more without a key: an older plain version of the row beside the newest.
        assertThat(call(port, "PATCH", "/v1/webhooks/" + hook, "{\"name\":\"renamed\"}").statusCode()).isEqualTo(200);
        assertThat(HeraldProcess.stop(plain)).isZero();
        // What the test looks for is there while the rows are plain (the search works).
        assertThat(encodingsFound(file, secret)).isNotEmpty();
        assertThat(encodingsFound(file, headerValue)).isNotEmpty();

        Path log = data.resolve("sealing.log");
        Process sealing = herald(data, port, Map.of("herald.secrets.key", SecretsAtRestTest.newKey()), log);
        assertThat(Files.readString(log)).contains("1 webhook(s) stored in plain text were sealed now");
        assertThat(encodingsFound(file, secret)).as("the secret in the running Herald's file").isEmpty();
        assertThat(encodingsFound(file, headerValue)).as("the header value in the running Herald's file").isEmpty();

        HttpResponse<String> event = call(port, "POST", "/v1/events", "{\"type\":\"seal.check\",\"data\":{\"n\":1}}");
        assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(30), () -> receiver.to("/sealed").size() == 1);
        Receiver.Request got = receiver.to("/sealed").get(0);
        String expected = HexFormat.of().formatHex(DialectsTest.hmac(secret.getBytes(StandardCharsets.UTF_8),
                new String(got.body(), StandardCharsets.UTF_8)));
        assertThat(got.header("X-Webhook-Signature")).endsWith(expected);
        assertThat(got.header("X-Api-Key")).isEqualTo(headerValue);

        HeraldProcess.kill9(sealing);
        assertThat(encodingsFound(file, secret)).as("the secret after a kill -9").isEmpty();
        assertThat(encodingsFound(file, headerValue)).as("the header value after a kill -9").isEmpty();
    }

    /**
     * The encodings in which the file holds {@code value}: H2 writes strings as UTF-8 (as Java's
     * modified UTF-8, the same bytes for ASCII); UTF-16 in both byte orders covers anything
     * serialized as Java chars.
     */
    static List<String> encodingsFound(Path file, String value) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        List<String> found = new ArrayList<>();
        for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            if (indexOf(bytes, value.getBytes(cs)) >= 0) {
                found.add(cs.name());
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private Process herald(Path data, int port, Map<String, String> extra) throws Exception {
        return herald(data, port, extra, data.resolve("herald-" + System.nanoTime() + ".log"));
    }

    private Process herald(Path data, int port, Map<String, String> extra, Path log) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("herald.http.port", Integer.toString(port));
        s.put("herald.data.dir", data.toString());
        s.put("herald.db.url", "jdbc:h2:file:" + data.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        s.put("herald.api.keys", HeraldApp.KEY);
        s.put("herald.jms.enabled", "false");
        s.put("herald.delivery.allowed-networks", "127.0.0.0/8");
        s.put("herald.delivery.poll-interval-ms", "200");
        s.put("herald.routes.dir", data.resolve("routes").toString());
        s.putAll(extra);
        Process p = HeraldProcess.herald(HeraldApp.freePort(), s, log);
        started.add(p);
        return p;
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + HeraldApp.KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
