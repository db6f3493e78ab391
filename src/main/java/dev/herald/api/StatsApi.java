package dev.herald.api;

import dev.herald.metrics.DeliveryMinutes;
import dev.herald.metrics.PendingCount;
import dev.herald.tenancy.Scope;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/stats/deliveries}: deliveries finished per minute over the last {@code minutes}
 * (the dashboard's chart) and the pending backlog, as last counted.
 */
public final class StatsApi {

    private static final int MAX_MINUTES = 1440;

    private final DeliveryMinutes minutes;
    private final PendingCount pending;

    public StatsApi(DeliveryMinutes minutes, PendingCount pending) {
        this.minutes = minutes;
        this.pending = pending;
    }

    /** Operator-only: an application's key gets the 404 of a path nothing serves. */
    public ApiResponse deliveries(@Header("minutes") String count, @ExchangeProperty(Scope.PROPERTY) Scope scope) {
        ScopeGuard.requireOperator(scope, "GET");
        int n = ApiInput.number(count, "minutes", 1, MAX_MINUTES, 60);
        List<Map<String, Object>> rows = minutes.last(n, System.currentTimeMillis()).stream().map(m -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", Views.time(m.epochMinute() * 60_000));
            row.put("success", m.succeeded());
            row.put("failed", m.failed());
            return row;
        }).toList();
        PendingCount.Reading reading = pending.read();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("minutes", rows);
        out.put("pending", reading == null ? null : reading.pending());
        out.put("pending_measured_at", reading == null ? null : Views.time(reading.measuredAt()));
        return ApiResponse.ok(out);
    }
}
