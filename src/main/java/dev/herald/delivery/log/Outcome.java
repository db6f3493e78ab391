package dev.herald.delivery.log;

/** The row after an attempt. {@code leaseToken}/{@code leaseUntil} stay set while this instance keeps the retry in memory. */
public record Outcome(String status, int attempts, Integer statusCode, String error, Long nextAttemptAt,
                      String leaseToken, Long leaseUntil, Long deliveredAt) {
}
