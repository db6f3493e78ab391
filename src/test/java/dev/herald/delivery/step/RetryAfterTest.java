package dev.herald.delivery.step;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A receiver's Retry-After, which can put a retry later than the webhook's backoff table says. */
class RetryAfterTest {

    @Test
    void retryAfterHeaderIsReadOnlyFor429And503() {
        long now = 1_700_000_000_000L;
        assertThat(ReceiverResponse.retryAfterMillis(429, Map.of("Retry-After", "7"), now)).isEqualTo(7_000);
        assertThat(ReceiverResponse.retryAfterMillis(503, Map.of("retry-after", "Tue, 14 Nov 2023 22:13:40 GMT"), now))
                .isEqualTo(20_000);
        assertThat(ReceiverResponse.retryAfterMillis(500, Map.of("Retry-After", "7"), now)).isEqualTo(-1);
        assertThat(ReceiverResponse.retryAfterMillis(429, Map.of("Retry-After", "soon"), now)).isEqualTo(-1);
    }
}
