package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Random;

/**
 * The fuzz cases: a valid body of one call ({@link ValidBodies}), mutated by {@link Mutations}.
 * Case {@code i} depends only on the seed and {@code i}, so a failure is reproduced by its
 * seed and index, whatever the thread that ran it.
 */
final class FuzzCases {

    /** One request. {@code contentType} null: no Content-Type header. */
    record Case(int index, String target, String method, String path, String contentType, String auth,
                byte[] body, String mutation) {
    }

    private static final String[] ODD_CONTENT_TYPES = {
            null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz",
            "application/xml", "application/json; charset=utf-16", "application/json; charset=bogus-9",
            "application/json; charset=", "*/*", "application/octet-stream", "application/json;;;", "json",
            "APPLICATION/JSON", "application/json; charset=ISO-8859-1", "text/html; charset=utf-8",
    };

    private final long seed;
    private final List<String> hookIds;
    private final ValidBodies valid = new ValidBodies();

    FuzzCases(long seed, List<String> hookIds) {
        this.seed = seed;
        this.hookIds = hookIds;
    }

    Case make(int index) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + index);
        int t = r.nextInt(100);
        String hook = r.nextInt(30) == 0 ? "hook_fuzz_missing" : hookIds.get(r.nextInt(hookIds.size()));
        String target;
        String method = "POST";
        String path;
        JsonNode base;
        if (t < 50) {
            target = "events";
            path = "/v1/events";
            base = valid.event(r, index);
        } else if (t < 82) {
            target = "webhook-create";
            path = "/v1/webhooks";
            base = valid.webhook(r);
        } else if (t < 92) {
            target = "webhook-patch";
            method = "PATCH";
            path = "/v1/webhooks/" + hook;
            base = valid.patch(r);
        } else if (t < 96) {
            target = "webhook-rotate";
            path = "/v1/webhooks/" + hook + "/rotate-secret";
            base = valid.rotation(r);
        } else {
            target = "webhook-recover";
            path = "/v1/webhooks/" + hook + "/recover";
            base = valid.recovery();
        }
        Mutations.Result mutated = Mutations.apply(r, base);
        return new Case(index, target, method, path, contentType(r), auth(r), mutated.body(), mutated.description());
    }

    private static String contentType(Random r) {
        return r.nextInt(100) < 85 ? "application/json" : ODD_CONTENT_TYPES[r.nextInt(ODD_CONTENT_TYPES.length)];
    }

    /** Now and then a missing or wrong key: the 401 must have the error shape too. */
    private static String auth(Random r) {
        return switch (r.nextInt(200)) {
            case 0 -> null;
            case 1 -> "Bearer wrong-key";
            case 2 -> "Basic dGVzdDp0ZXN0";
            default -> "Bearer " + HeraldApp.KEY;
        };
    }

    /**
     * Valid bodies of each call. Fuzzed webhooks are inactive and subscribe to {@code fuzz.hook.*}
     * while fuzzed events are {@code fuzz.event.*}: nothing is ever delivered, so no URL is called.
     */
    static final class ValidBodies {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        JsonNode event(Random r, int index) {
            if (r.nextInt(4) == 0) {
                ArrayNode batch = JSON.createArrayNode();
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    batch.add(oneEvent(r, index * 10 + i));
                }
                return batch;
            }
            return oneEvent(r, index * 10);
        }

        private ObjectNode oneEvent(Random r, int n) {
            ObjectNode e = JSON.createObjectNode();
            if (r.nextInt(25) == 0) {
                // A few ids shared by concurrent requests: the duplicate path under contention.
                e.put("id", "evt-fuzz-shared-" + r.nextInt(3));
            } else if (r.nextBoolean()) {
                e.put("id", "evt-fuzz-" + n + "-" + r.nextInt(1_000_000));
            }
            e.put("type", r.nextBoolean() ? "fuzz.event.created" : "fuzz.event.updated");
            if (r.nextBoolean()) {
                e.put("created_at", "2026-03-01T12:00:00Z");
            }
            ObjectNode data = e.putObject("data");
            data.put("id", "proj_" + n);
            data.put("name", "Caf\u00e9 \u2713 \uD83D\uDE00 \"quoted\" \u0001");
            data.put("count", 42);
            data.put("ratio", 1.5);
            data.put("big", 12345678901234567L);
            data.putArray("tags").add("a").add("b").add(true).addNull();
            data.putObject("nested").put("ok", true).putNull("none").putArray("xs").add(1).add(-2.5e-3);
            return e;
        }

        JsonNode webhook(Random r) {
            ObjectNode w = JSON.createObjectNode();
            w.put("url", r.nextInt(3) == 0 ? "http://127.0.0.1:9/fuzz/hook" : "https://hooks.example.invalid/fuzz/hook");
            w.putArray("events").add("fuzz.hook.created").add("fuzz.hook.*");
            w.put("active", false);
            if (r.nextInt(5) == 0) {
                return w;
            }
            w.put("name", "fuzz hook \u00e9");
            w.put("description", "made by FuzzTest");
            switch (r.nextInt(3)) {
                case 0 -> {
                    w.put("secret", "s3cret-fuzz");
                    w.putObject("signature").put("scheme", "hmac-sha256").put("header", "X-Sig")
                            .put("prefix", "sha256=").put("encoding", r.nextBoolean() ? "hex" : "base64");
                    w.put("retry_policy", "quick");
                }
                case 1 -> {
                    w.put("secret", STANDARD_SECRET);
                    w.putObject("signature").put("scheme", "standard-webhooks");
                    w.putArray("retry_schedule").add("0s").add("30s").add("5m").add("1h30m");
                }
                default -> {
                    w.put("secret", "s3cret-fuzz-ts");
                    w.putObject("signature").put("scheme", "timestamped").put("header", "X-Timestamped-Sig");
                    w.putNull("retry_policy");
                }
            }
            w.put("payload_format", r.nextBoolean() ? "envelope" : "event-payload");
            w.put("event_type_header", "X-Event-Type");
            w.putObject("headers").put("X-Tenant", "t1").put("X-Trace", "abc");
            return w;
        }

        /** One to four fields of a create body: PATCH takes the same fields. */
        JsonNode patch(Random r) {
            ObjectNode full = (ObjectNode) webhook(r);
            ObjectNode p = JSON.createObjectNode();
            List<String> names = new java.util.ArrayList<>();
            full.fieldNames().forEachRemaining(names::add);
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                String f = names.get(r.nextInt(names.size()));
                p.set(f, full.get(f));
            }
            return p;
        }

        JsonNode rotation(Random r) {
            ObjectNode b = JSON.createObjectNode();
            if (r.nextBoolean()) {
                b.put("secret", "rotated-secret-" + r.nextInt(1000));
            }
            if (r.nextBoolean()) {
                b.put("grace_period", r.nextBoolean() ? "1h" : "0s");
            }
            return b;
        }

        JsonNode recovery() {
            return JSON.createObjectNode().put("since", "2026-03-01T12:00:00Z");
        }
    }
}
