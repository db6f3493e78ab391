package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a receiver of a rate-limited webhook saw, measured: arrivals per window, gaps, repeats. */
final class RateWindows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RateWindows() {
    }

    /** The most arrivals in any window of {@code millis} (sliding, starting at each arrival). */
    static int most(List<Long> arrivals, long millis) {
        List<Long> t = new ArrayList<>(arrivals);
        Collections.sort(t);
        int most = 0;
        int j = 0;
        for (int i = 0; i < t.size(); i++) {
            while (t.get(i) - t.get(j) >= millis) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    /** The gaps between consecutive arrivals, sorted. */
    static List<Long> gaps(List<Long> arrivals) {
        List<Long> t = new ArrayList<>(arrivals);
        Collections.sort(t);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < t.size(); i++) {
            gaps.add(t.get(i) - t.get(i - 1));
        }
        Collections.sort(gaps);
        return gaps;
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    /** How many times each value occurs, for those occurring more than once. */
    static Map<String, Integer> repeated(List<String> values) {
        Map<String, Integer> counts = new HashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        counts.values().removeIf(n -> n == 1);
        return counts;
    }

    /** A batch of {@code n} events of this type, as POST /v1/events takes it. */
    static String batch(String type, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"data\":{\"n\":").append(i).append("}}");
        }
        return b.append(']').toString();
    }

    /** Every delivery row of a webhook (all pages of GET /v1/webhooks/{id}/deliveries). */
    interface Api {
        String get(String path) throws Exception;
    }

    static List<JsonNode> deliveries(Api api, String webhookId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(api.get("/v1/webhooks/" + webhookId + "/deliveries?limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("deliveries").forEach(out::add);
            cursor = page.path("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return out;
    }
}
