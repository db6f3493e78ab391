package dev.herald.subscription;

import dev.herald.error.HeraldException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {

    @Test
    void seedTablesParseAndPrintBack() {
        for (String table : List.of("0s,1m,5m,30m,2h", "0s,30s,5m,30m,2h", "0s,1s,5s,30s", "0s,10s,100s",
                "0s,5s,5m,30m,2h,5h,10h,10h")) {
            assertThat(RetrySchedule.parse(table, "t").toString()).isEqualTo(table);
        }
        assertThat(RetrySchedule.parse("0s, 1h30m ,500ms", "t").asStrings()).containsExactly("0s", "90m", "500ms");
    }

    @Test
    void nextAttemptIsCountedFromTheEndOfThePreviousOne() {
        RetrySchedule s = RetrySchedule.parse("0s,1m,5m", "t");
        long end = 1_000_000L;
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.nextAttemptAt(1, end, -1)).isEqualTo(end + 60_000);
        assertThat(s.nextAttemptAt(2, end, -1)).isEqualTo(end + 300_000);
        assertThat(s.nextAttemptAt(3, end, -1)).isEqualTo(-1);
    }

    @Test
    void retryAfterPushesLaterButNeverBeyondTheLongestDelay() {
        RetrySchedule s = RetrySchedule.parse("0s,10s,100s", "t");
        assertThat(s.nextAttemptAt(1, 0, 30_000)).isEqualTo(30_000);
        assertThat(s.nextAttemptAt(1, 0, 3_600_000)).isEqualTo(100_000);
        assertThat(s.nextAttemptAt(1, 0, 1_000)).isEqualTo(10_000);
    }

    @Test
    void badTablesNameTheField() {
        assertThatThrownBy(() -> RetrySchedule.parse("", "retry_schedule"))
                .isInstanceOf(HeraldException.class).extracting("field").isEqualTo("retry_schedule");
        assertThatThrownBy(() -> RetrySchedule.parse("0s,soon", "retry_schedule"))
                .isInstanceOf(HeraldException.class).extracting("field").isEqualTo("retry_schedule[1]");
        assertThatThrownBy(() -> RetrySchedule.parse("0s,25h", "retry_schedule"))
                .isInstanceOf(HeraldException.class).hasMessageContaining("24h");
        assertThatThrownBy(() -> RetrySchedule.parse("0s,".repeat(20) + "1s", "retry_schedule"))
                .isInstanceOf(HeraldException.class).hasMessageContaining("1 to 20");
        assertThatThrownBy(() -> RetrySchedule.parseDelay("-1s", "x")).isInstanceOf(HeraldException.class);
        assertThat(RetrySchedule.parseDelay("24h", "x")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void settingsTakeDurationsBeyondADay() {
        assertThat(RetrySchedule.parseDuration("30d", "herald.retention.period")).isEqualTo(Duration.ofDays(30));
        assertThat(RetrySchedule.parseDuration("1h30m", "x")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> RetrySchedule.parseDuration("30 days", "herald.retention.period"))
                .isInstanceOf(HeraldException.class).extracting("field").isEqualTo("herald.retention.period");
    }
}
