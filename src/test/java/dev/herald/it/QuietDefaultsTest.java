package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Safe by default, as an operator meets it: generated secrets in owner-only files and never
 * in the log, the management server on loopback, no multipart uploads, an embedded broker
 * that wants a login on TCP, and JMS messages capped like HTTP requests.
 */
class QuietDefaultsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_REQUEST_BYTES = 4096;
    static LogCapture log;
    static HeraldApp herald;
    static Receiver receiver;
    static int jmsPort;
    static String apiKey;

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture();
        receiver = new Receiver();
        jmsPort = HeraldApp.freePort();
        herald = new HeraldApp(Map.of(
                "herald.api.keys", "",
                "herald.jms.enabled", "true",
                "herald.jms.embedded.port", Integer.toString(jmsPort),
                "herald.ingest.max-request-bytes", Integer.toString(MAX_REQUEST_BYTES)));
        apiKey = Files.readString(herald.dataDir.resolve("api-key")).trim();
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/in")
                + "\",\"events\":[\"*\"]}", apiKey);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
        log.close();
    }

    @Test
    void theGeneratedApiKeyIsOwnerOnlyAndTheLogShowsOnlyWhereItIsAndItsLastFour() throws Exception {
        Path file = herald.dataDir.resolve("api-key");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(apiKey).startsWith("hk_").hasSizeGreaterThan(20);
        assertThat(herald.call("GET", "/v1/webhooks", null, apiKey).statusCode()).isEqualTo(200);

        String text = log.text();
        assertThat(text).contains(file.toString()).contains("..." + apiKey.substring(apiKey.length() - 4));
        assertThat(text).doesNotContain(apiKey).doesNotContain(apiKey.substring(0, apiKey.length() - 4));
    }

    @Test
    void theGeneratedBrokerLoginIsOwnerOnlyAndItsPasswordNeverLogged() throws Exception {
        Path user = herald.dataDir.resolve("jms-user");
        Path password = herald.dataDir.resolve("jms-password");
        assertThat(mode(user)).isEqualTo("rw-------");
        assertThat(mode(password)).isEqualTo("rw-------");
        assertThat(log.text()).contains(password.toString()).doesNotContain(read(password));
    }

    @Test
    void anonymousAndWrongTcpLoginsAreRefusedAndNothingTheySendArrives() throws Exception {
        String tcp = "tcp://127.0.0.1:" + jmsPort;
        String marker = UUID.randomUUID().toString();
        String event = "{\"type\":\"refused.login\",\"data\":{\"m\":\"" + marker + "\"}}";
        assertThatThrownBy(() -> send(new ActiveMQConnectionFactory(tcp), event))
                .as("anonymous").isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> send(new ActiveMQConnectionFactory(tcp, credentials()[0], "not-the-password"), event))
                .as("wrong password").isInstanceOf(JMSSecurityException.class);
        // Artemis' cluster user passes every check when it has its well-known default password.
        assertThatThrownBy(() -> send(new ActiveMQConnectionFactory(tcp, "ACTIVEMQ.CLUSTER.ADMIN.USER", "CHANGE ME!!"), event))
                .as("Artemis' default cluster login").isInstanceOf(JMSException.class)
                .hasMessageContaining("Unable to authenticate cluster user");

        Thread.sleep(1000);
        assertThat(envelopes(marker)).isEmpty();
    }

    @Test
    void aTcpClientWithTheGeneratedLoginIsDeliveredAndInVmNeedsNone() throws Exception {
        String[] login = credentials();
        String tcpMarker = UUID.randomUUID().toString();
        send(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort, login[0], login[1]),
                "{\"type\":\"tcp.login\",\"data\":{\"m\":\"" + tcpMarker + "\"}}");
        String vmMarker = UUID.randomUUID().toString();
        send(new ActiveMQConnectionFactory("vm://0"), "{\"type\":\"in.vm\",\"data\":{\"m\":\"" + vmMarker + "\"}}");
        waitUntil(Duration.ofSeconds(20), () -> envelopes(tcpMarker).size() == 1 && envelopes(vmMarker).size() == 1);
    }

    @Test
    void theReadmesJmsExampleLogsInWithTheGeneratedLogin() throws Exception {
        String marker = UUID.randomUUID().toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dbroker=tcp://127.0.0.1:" + jmsPort, "-Ddata=" + herald.dataDir,
                "examples/jms/SendEvent.java", "{\"type\":\"project.created\",\"data\":{\"m\":\"" + marker + "\"}}")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        waitUntil(Duration.ofSeconds(20), () -> envelopes(marker).size() == 1);
    }

    @Test
    void aJmsMessageLargerThanTheRequestCapIsDeadLetteredWithItsReason() throws Exception {
        String[] login = credentials();
        ActiveMQConnectionFactory tcp = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort, login[0], login[1]);
        String bigText = "{\"type\":\"too.big\",\"data\":{\"pad\":\"" + "x".repeat(MAX_REQUEST_BYTES) + "\"}}";
        String after = UUID.randomUUID().toString();
        try (Connection c = tcp.createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var producer = session.createProducer(session.createQueue("herald.events"));
            producer.send(session.createTextMessage(bigText));
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(bigText.getBytes(StandardCharsets.UTF_8));
            producer.send(bytes);
            producer.send(session.createTextMessage("{\"type\":\"after.big\",\"data\":{\"m\":\"" + after + "\"}}"));
        }

        waitUntil(Duration.ofSeconds(20), () -> envelopes(after).size() == 1);
        try (Connection c = tcp.createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dlq = session.createConsumer(session.createQueue("herald.events.DLQ"));
            for (String kind : List.of("text", "bytes")) {
                Message m = dlq.receive(10_000);
                assertThat(m).as("dead letter of the %s message", kind).isNotNull();
                assertThat(m.getStringProperty("heraldErrorCode")).isEqualTo("payload_too_large");
                assertThat(m.getStringProperty("heraldReason"))
                        .contains(bigText.getBytes(StandardCharsets.UTF_8).length + " bytes")
                        .contains(MAX_REQUEST_BYTES + " (herald.ingest.max-request-bytes)");
            }
        }
        assertThat(receiver.requests).noneMatch(r -> new String(r.body(), StandardCharsets.UTF_8).contains("too.big"));
    }

    @Test
    void aMultipartUploadIsRefusedBeforeItsBodyIsRead() throws Exception {
        String boundary = "b" + UUID.randomUUID();
        String marker = UUID.randomUUID().toString();
        // One part holding a valid event: read as the body, it would be accepted.
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"event\"; filename=\"event.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + "{\"type\":\"upload.part\",\"data\":{\"m\":\"" + marker + "\"}}\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + herald.port + "/v1/events"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("unsupported_media_type");
        // Vert.x stores uploads in ./file-uploads unless told where: nothing was stored anywhere.
        assertThat(Path.of("file-uploads")).doesNotExist();
        Thread.sleep(500);
        assertThat(envelopes(marker)).isEmpty();
    }

    @Test
    void theManagementServerListensOnLoopbackOnly() throws Exception {
        ManagementHttpServer server = herald.camelContext().hasService(ManagementHttpServer.class);
        assertThat(server).isNotNull();
        assertThat(server.getHost()).isEqualTo("127.0.0.1");
        assertThat(server.getPort()).isEqualTo(herald.managementPort);
        // The socket as the kernel lists it; read, never connected to, so no other address is touched.
        if (Files.isReadable(Path.of("/proc/net/tcp6"))) {
            assertThat(listeningAddresses(herald.managementPort)).isNotEmpty().allMatch(QuietDefaultsTest::isLoopback);
        }
    }

    @Test
    void anEmptyApiKeyFileStopsTheStartWithAMessageNamingIt() throws Exception {
        Path data = Files.createTempDirectory("herald-empty-key");
        Path key = Files.writeString(data.resolve("api-key"), "");
        assertThatThrownBy(() -> new HeraldApp(Map.of("herald.api.keys", "", "herald.data.dir", data.toString())).close())
                .rootCause().hasMessageContaining("API key file " + key + " is empty");
    }

    // --- helpers -------------------------------------------------------------------------

    /** Local addresses (hex, as /proc/net/tcp and tcp6 write them) of the sockets listening on the port. */
    static List<String> listeningAddresses(int port) throws Exception {
        String suffix = String.format(":%04X", port);
        List<String> found = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(suffix) && f[3].equals("0A")) {
                    found.add(f[1].substring(0, f[1].length() - suffix.length()));
                }
            }
        }
        return found;
    }

    /** 127.x.x.x (IPv4, or IPv4-mapped in IPv6, where Java's sockets usually are) or ::1. */
    static boolean isLoopback(String hex) {
        return hex.length() == 8 ? hex.endsWith("7F")
                : hex.equals("00000000000000000000000001000000")
                        || hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F");
    }

    static String[] credentials() throws Exception {
        return new String[] {read(herald.dataDir.resolve("jms-user")), read(herald.dataDir.resolve("jms-password"))};
    }

    static String read(Path file) throws Exception {
        return Files.readString(file).trim();
    }

    static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    static void send(ActiveMQConnectionFactory factory, String text) throws Exception {
        try (Connection c = factory.createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("herald.events")).send(session.createTextMessage(text));
        }
    }

    static List<JsonNode> envelopes(String marker) {
        return receiver.requests.stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(e -> marker.equals(e.path("data").path("m").asText())).toList();
    }
}
