package dev.herald.delivery.log;

import java.util.Map;

/** One HTTP attempt of a delivery, as recorded in the log. */
public record Attempt(String deliveryId, int attempt, Trigger trigger, long startedAt, long durationMs, String url,
                      Map<String, String> requestHeaders, String requestBody, Integer responseStatus,
                      Map<String, String> responseHeaders, String responseBody, String error) {
}
