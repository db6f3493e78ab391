package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * What the start-up log says about where Herald listens: the host and port each server is bound
 * to, on non-default ports, and a curl line for the generated API key that reaches that address
 * (it said http://localhost:8080 whatever the port, and Camel's summary said 0.0.0.0 for servers
 * bound to 127.0.0.1). A port another process holds stops the start instead of a Herald that
 * answers nowhere.
 */
class StartupAddressesTest {

    @Test
    void theLogNamesTheAddressesReallyBound() throws Exception {
        try (LogCapture log = new LogCapture();
             HeraldApp herald = new HeraldApp(Map.of("herald.api.keys", "", "herald.http.host", "127.0.0.1"))) {
            String text = log.text();
            String api = "127.0.0.1:" + herald.port;
            String management = "127.0.0.1:" + herald.managementPort;
            assertThat(text).contains("API listening on " + api + ": http://" + api + "/v1")
                    .contains("dashboard http://" + api + "/ui/")
                    .contains("curl -H \"Authorization: Bearer $(cat " + herald.dataDir.resolve("api-key") + ")\" http://"
                            + api + "/v1/webhooks")
                    .contains("Management listening on " + management + ": http://" + management + "/observe/health")
                    .doesNotContain("localhost:8080")
                    .doesNotContain("0.0.0.0:" + herald.port)
                    .doesNotContain("0.0.0.0:" + herald.managementPort);
        }
    }

    @Test
    void aWildcardHostIsSaidSoAndTheHintUsesLoopback() throws Exception {
        try (LogCapture log = new LogCapture(); HeraldApp herald = new HeraldApp(Map.of("herald.http.host", "0.0.0.0"))) {
            assertThat(log.text()).contains("API listening on 0.0.0.0:" + herald.port + " (every interface): http://127.0.0.1:"
                    + herald.port + "/v1");
        }
    }

    @Test
    void aPortHeldByAnotherProcessStopsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new HeraldApp(Map.of("herald.http.host", "127.0.0.1", "herald.http.port", Integer.toString(port))).close()).hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause().hasMessageStartingWith("nothing listens on 127.0.0.1:" + port + " (herald.http.host and .port)");
        }
    }
}
