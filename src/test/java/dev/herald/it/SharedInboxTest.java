package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.store.TestDatabase;
import dev.herald.store.TestPostgres;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Herald instances on one inbox folder and one PostgreSQL database (issue 17): every good
 * file is read by one of them and ends in .done/ once, every bad one in .error/ with its reason,
 * and the receiver gets each event once, those without an id too. A file whose claim belongs to
 * an instance that died (its claim no longer renewed) is taken over once the claim expires.
 * On the tests' PostgreSQL ({@link TestPostgres}).
 */
class SharedInboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoInstancesReadEachFileOfOneInboxOnce() throws Exception {
        String schema = TestDatabase.createPostgresSchema();
        Path inbox = Files.createTempDirectory("herald-shared-inbox");
        Map<String, String> shared = Map.of(
                "herald.inbox.dir", inbox.toString(),
                "herald.db.url", TestPostgres.url(schema),
                "herald.db.user", TestDatabase.PG_USER,
                "herald.inbox.poll-interval", "50ms",
                // A dead reader's claim is taken over once seen unrenewed this long.
                "herald.inbox.claim-timeout", "2s");
        try (Receiver receiver = new Receiver();
             HeraldApp a = new HeraldApp(shared)) {
            HttpResponse<String> hook = a.call("POST", "/v1/webhooks",
                    "{\"url\":\"" + receiver.url("/shared") + "\",\"events\":[\"*\"]}");
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
            try (HeraldApp b = new HeraldApp(shared)) {
                Drops drops = new Drops(inbox);
                // An instance killed while reading this file: its claim is in the table, no longer renewed.
                String orphan = drops.held("orphan.json", schema);
                drops.goodFiles();
                drops.badFiles();
                drops.renameAllIn();

                Set<String> good = drops.goodNames();
                good.add(orphan);
                waitUntil(Duration.ofSeconds(30), () -> names(inbox).stream().noneMatch(n -> n.endsWith("json")));
                waitQuietly(Duration.ofSeconds(15), () -> receiver.requests.size() >= drops.expectedEvents.size());
                Thread.sleep(500); // a second reader's duplicate would arrive now

                assertThat(names(inbox.resolve(".done"))).as("each good file in .done/ once").isEqualTo(good);
                assertThat(names(inbox).stream().filter(n -> n.endsWith("json"))).as("nothing left in the inbox").isEmpty();
                Set<String> errors = new TreeSet<>(drops.badNames());
                drops.badNames().forEach(n -> errors.add(n + ".error.txt"));
                drops.partialNdjson.forEach(n -> errors.add(n + ".rejected.ndjson"));
                assertThat(names(inbox.resolve(".error"))).as("only the bad files (and bad lines) in .error/").isEqualTo(errors);
                assertThat(Files.readString(inbox.resolve(".error/broken.json.error.txt"))).contains("invalid_json");
                assertThat(Files.readString(inbox.resolve(".error/untyped.json.error.txt"))).contains("type is required");
                assertThat(Files.readString(inbox.resolve(".error/reserved.json.error.txt"))).contains("operational events");
                assertThat(Files.readString(inbox.resolve(".error/allbad.ndjson.error.txt"))).contains("none of its 2 lines");
                for (String n : drops.partialNdjson) {
                    assertThat(Files.readAllLines(inbox.resolve(".error/" + n + ".rejected.ndjson")))
                            .hasSize(n.equals("allbad.ndjson") ? 2 : 1);
                }

                Map<String, Integer> got = new HashMap<>();
                for (Receiver.Request r : receiver.to("/shared")) {
                    JsonNode data = JSON.readTree(r.body()).get("data");
                    got.merge(data.get("f").asText() + "#" + data.get("n").asInt(), 1, Integer::sum);
                }
                assertThat(got.keySet()).as("every event of the good files").isEqualTo(drops.expectedEvents);
                assertThat(got).as("each event delivered once").allSatisfy((event, times) -> assertThat(times).isEqualTo(1));
                assertThat(claimOwner(schema, drops.orphanKey)).as("the orphaned claim was taken over")
                        .isNotEqualTo(Drops.DEAD_OWNER);
            }
        } finally {
            TestDatabase.dropPostgresSchema(schema);
        }
    }

    /** Waits for the condition, or for the timeout: the assertions after it then say what is missing. */
    private static void waitQuietly(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        try {
            waitUntil(timeout, condition);
        } catch (AssertionError e) {
            // fall through to the assertions
        }
    }

    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Connection connect(String schema) throws Exception {
        return DriverManager.getConnection(TestPostgres.url(schema), TestDatabase.PG_USER, null);
    }

    private static String claimOwner(String schema, String key) throws Exception {
        try (Connection c = connect(schema);
             PreparedStatement ps = c.prepareStatement("SELECT owner FROM inbox_claim WHERE file_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The files of the test, written under hidden names, then renamed into the inbox together. */
    private static final class Drops {
        static final String DEAD_OWNER = "killed-host:deadbeef";
        final Path inbox;
        final List<String> written = new ArrayList<>();
        final Set<String> expectedEvents = new HashSet<>();
        /** NDJSON files with bad lines: listed in .error/<name>.rejected.ndjson. */
        final Set<String> partialNdjson = new TreeSet<>();
        private final Set<String> bad = new TreeSet<>();
        String orphanKey;

        Drops(Path inbox) {
            this.inbox = inbox;
        }

        /** 66 good files: single events, arrays and NDJSON, with and without ids. */
        void goodFiles() throws Exception {
            for (int i = 0; i < 22; i++) {
                String f = "single-" + i + ".json";
                write(f, event(f, 0, i % 2 == 0));
            }
            for (int i = 0; i < 22; i++) {
                String f = "array-" + i + ".json";
                write(f, "[" + event(f, 0, false) + "," + event(f, 1, i % 3 == 0) + "," + event(f, 2, false) + "]");
            }
            for (int i = 0; i < 22; i++) {
                String f = "feed-" + i + ".ndjson";
                StringBuilder lines = new StringBuilder();
                for (int n = 0; n < 4; n++) {
                    lines.append(event(f, n, n == 1)).append('\n');
                }
                if (i % 7 == 0) {
                    lines.append("{\"type\":\"shared.file\",\"data\":{\n");
                    partialNdjson.add(f);
                }
                write(f, lines.toString());
            }
        }

        void badFiles() throws Exception {
            writeBad("broken.json", "{\"type\":\"shared.file\",\"data\":{\"a\":1,}}");
            writeBad("untyped.json", "[{\"type\":\"shared.file\",\"data\":{\"f\":\"x\",\"n\":0}},{\"data\":{}}]");
            writeBad("reserved.json", "{\"type\":\"herald.delivery.exhausted\",\"data\":{}}");
            writeBad("allbad.ndjson", "{\"data\":{}}\nnot json\n");
            partialNdjson.add("allbad.ndjson");
        }

        /** A good file whose claim a killed instance holds: renewed a moment ago, never again. */
        String held(String name, String schema) throws Exception {
            String content = event(name, 0, false);
            write(name, content);
            long modified = 1_700_000_000_000L;
            Files.setLastModifiedTime(hidden(name), FileTime.fromMillis(modified));
            orphanKey = name + ":" + content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + ":" + modified;
            try (Connection c = connect(schema);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO inbox_claim (file_key, owner, held_until, done) VALUES (?, ?, ?, FALSE)")) {
                ps.setString(1, orphanKey);
                ps.setString(2, DEAD_OWNER);
                ps.setLong(3, System.currentTimeMillis() + 3_000);
                ps.executeUpdate();
            }
            return name;
        }

        void renameAllIn() throws Exception {
            for (String name : written) {
                Files.move(hidden(name), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
        }

        Set<String> goodNames() {
            Set<String> good = new TreeSet<>(written);
            good.removeAll(bad);
            return good;
        }

        Set<String> badNames() {
            return bad;
        }

        private String event(String file, int n, boolean withId) {
            expectedEvents.add(file + "#" + n);
            return "{" + (withId ? "\"id\":\"shared_" + file.replace('.', '_') + "_" + n + "_" + System.nanoTime() + "\"," : "")
                    + "\"type\":\"shared.file\",\"data\":{\"f\":\"" + file + "\",\"n\":" + n + "}}";
        }

        private void writeBad(String name, String content) throws Exception {
            bad.add(name);
            write(name, content);
        }

        private void write(String name, String content) throws Exception {
            Files.writeString(hidden(name), content);
            written.add(name);
        }

        private Path hidden(String name) {
            return inbox.resolve("." + name + ".part");
        }
    }
}
