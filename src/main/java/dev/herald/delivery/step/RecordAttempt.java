package dev.herald.delivery.step;

import dev.herald.delivery.log.Attempt;
import dev.herald.delivery.log.AttemptKind;
import dev.herald.delivery.log.AttemptRecord;
import dev.herald.delivery.log.AttemptRecorder;
import dev.herald.delivery.log.Outcome;
import dev.herald.subscription.ReceiverUrl;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Step {@code RecordAttempt}: what the attempt came to (a 2xx within the timeout is a
 * success; anything else, a transform that threw included, is a failure), logged with the
 * delivery's next state from its backoff table: success, failed after the last attempt, or
 * pending with {@code next_attempt_at}, when the scheduler claims it again. The write is
 * group-committed by the {@link AttemptRecorder} while this thread goes on.
 */
public final class RecordAttempt implements Processor {

    /** The exception a webhook's transform route threw, set by the route. */
    public static final String TRANSFORM_FAILURE = "heraldTransformFailure";

    private final AttemptRecorder recorder;
    private final long timeoutMillis;

    public RecordAttempt(AttemptRecorder recorder, long timeoutMillis) {
        this.recorder = recorder;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        long end = System.currentTimeMillis();
        ReceiverResponse response = job.response;
        Integer status = response == null ? null : response.status();
        Map<String, String> responseHeaders = response == null ? null : response.headers();
        Verdict verdict = judge(exchange, job, end);
        job.kind = verdict.kind();
        job.endedAt = end;
        int attempt = job.attempt();
        Outcome outcome;
        if (verdict.error() == null) {
            outcome = new Outcome.Delivered(attempt, status, end);
        } else {
            long next = job.trigger.singleAttempt() ? -1
                    : job.schedule.nextAttemptAt(attempt, end, ReceiverResponse.retryAfterMillis(status, responseHeaders, end));
            outcome = next < 0 ? new Outcome.Failed(attempt, status, verdict.error())
                    : new Outcome.Retry(attempt, status, verdict.error(), next);
        }
        job.outcome = outcome;
        Map<String, String> sent = job.requestHeaders == null ? Map.of() : job.requestHeaders;
        // With a payload format (and no transform) the log renders the body again when read: no copy per attempt.
        boolean rendered = job.webhook.payloadFormat() != null && !job.transformed;
        Attempt record = new Attempt(job.deliveryId, attempt, job.trigger, job.startedAt, end - job.startedAt,
                ReceiverUrl.masked(job.webhook.url()), job.webhook.maskCustomHeaders(sent),
                rendered ? null : new String(job.body, StandardCharsets.UTF_8), status, responseHeaders,
                response == null ? null : response.body(), verdict.error());
        recorder.recordLater(new AttemptRecord(record, job.leaseToken, outcome, end,
                rendered ? job.webhook.payloadFormat() : null));
    }

    /** What the attempt came to, once: its kind (for the metrics) and why it failed (for the log). */
    private Verdict judge(Exchange exchange, DeliveryJob job, long end) {
        Throwable transform = exchange.getProperty(TRANSFORM_FAILURE, Throwable.class);
        if (transform != null) {
            return Verdict.failed(AttemptKind.FAILURE, transformError(job.webhook.transform(), transform));
        }
        if (job.webhook.auth() != null) {
            Throwable token = exchange.getProperty(AuthorizeRequest.TOKEN_FAILURE, Throwable.class);
            if (token != null) {
                // Nothing was sent: the token server's trouble is the attempt's error; the egress proxy's
                // on the way there is not the receiver's.
                if (HttpErrors.proxyFailure(token) != null) {
                    return Verdict.failed(AttemptKind.EGRESS, token.getMessage());
                }
                return Verdict.failed(token.getCause() == null ? AttemptKind.FAILURE
                        : HttpErrors.onTheWire(token.getCause(), timeoutMillis).kind(), token.getMessage());
            }
        }
        // Past the deadline whatever broke was the deadline's cut (a closed socket, a partial read).
        boolean overdue = end - Math.max(job.startedAt, job.sentAt) >= timeoutMillis;
        AttemptKind failed = overdue ? AttemptKind.TIMEOUT : AttemptKind.FAILURE;
        Throwable wire = exchange.getProperty(ReadResponse.WIRE_FAILURE, Throwable.class);
        // The egress proxy's failure, even at the deadline, is not the receiver's.
        Verdict proxy = wire == null ? null : HttpErrors.proxyFailure(wire);
        if (proxy != null) {
            return proxy;
        }
        if (wire != null) {
            return overdue ? Verdict.failed(failed, HttpErrors.timeout(timeoutMillis))
                    : HttpErrors.onTheWire(wire, timeoutMillis);
        }
        ReceiverResponse response = job.response;
        Integer status = response.status();
        if (response.readFailure() != null) {
            return Verdict.failed(failed, overdue ? HttpErrors.timeout(timeoutMillis)
                    : "reading the response failed: " + HttpErrors.onTheWire(response.readFailure(), timeoutMillis).error());
        }
        if (status == null) {
            return Verdict.failed(failed, "no HTTP status in the response");
        }
        if (status >= 300 && status < 400) {
            String location = response.headers().get("Location");
            return Verdict.failed(failed, "HTTP " + status + ": redirects are not followed"
                    + (location != null ? " (Location: " + location + ")" : ""));
        }
        return status < 200 || status >= 300 ? Verdict.failed(failed, "HTTP " + status) : Verdict.SUCCESS;
    }

    private static String transformError(String name, Throwable failure) {
        if (failure instanceof DirectConsumerNotAvailableException) {
            return "transform \"" + name + "\": no route direct:" + name + " is running (removed from herald.routes.dir?)";
        }
        String message = failure.getMessage();
        return "transform \"" + name + "\" failed: " + (message == null || message.isBlank()
                ? failure.getClass().getSimpleName() : message);
    }
}
