package dev.herald.delivery.flow;

import dev.herald.delivery.flow.EndpointBreaker.Change;
import dev.herald.delivery.flow.EndpointBreaker.State;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaker's states on a clock of its own: open, probe, doubling up to the maximum, close. */
class EndpointBreakerTest {

    static final String E = "https://hooks.example:443";

    @Test
    void opensAfterConsecutiveFailuresOnlyAndASuccessResetsTheCount() {
        EndpointBreaker b = new EndpointBreaker(3, 30_000, 600_000, 15_000);
        assertThat(b.record(E, "d1", false, 0)).isEqualTo(Change.NONE);
        assertThat(b.record(E, "d2", false, 0)).isEqualTo(Change.NONE);
        assertThat(b.record(E, "d3", true, 0)).isEqualTo(Change.NONE);
        assertThat(b.record(E, "d4", false, 0)).isEqualTo(Change.NONE);
        assertThat(b.record(E, "d5", false, 0)).isEqualTo(Change.NONE);
        assertThat(b.state(E, 0)).isEqualTo(State.CLOSED);
        assertThat(b.record(E, "d6", false, 1_000)).isEqualTo(Change.OPENED);
        assertThat(b.state(E, 1_000)).isEqualTo(State.OPEN);
        assertThat(b.admit(E, "d7", 1_000)).isEqualTo(31_000);
        assertThat(b.holding(E, 30_999)).isTrue();
        assertThat(b.admit("https://other.example:443", "d8", 1_000)).isZero();
    }

    @Test
    void oneProbeAtATimeAndEachFailedProbeDoublesTheOpenTimeUpToTheMaximum() {
        EndpointBreaker b = new EndpointBreaker(1, 30_000, 100_000, 15_000);
        b.record(E, "d1", false, 0);
        assertThat(b.probeDue(E, 30_000)).isTrue();
        assertThat(b.state(E, 30_000)).isEqualTo(State.HALF_OPEN);
        assertThat(b.admit(E, "probe1", 30_000)).isZero();
        // Others wait for the probe's result, at most the probe timeout.
        assertThat(b.admit(E, "d2", 30_001)).isEqualTo(45_000);
        assertThat(b.admit(E, "probe1", 30_002)).isZero();
        // An attempt begun before the breaker opened does not decide it.
        assertThat(b.record(E, "d0", true, 30_500)).isEqualTo(Change.NONE);
        assertThat(b.state(E, 30_500)).isEqualTo(State.HALF_OPEN);

        assertThat(b.record(E, "probe1", false, 31_000)).isEqualTo(Change.NONE);
        assertThat(b.admit(E, "d2", 31_000)).isEqualTo(91_000);
        assertThat(b.admit(E, "probe2", 91_000)).isZero();
        b.record(E, "probe2", false, 92_000);
        assertThat(b.admit(E, "d3", 92_000)).isEqualTo(192_000); // 120 s capped at 100 s
        assertThat(b.admit(E, "probe3", 192_000)).isZero();
        b.record(E, "probe3", false, 192_000);
        assertThat(b.admit(E, "d3", 192_000)).isEqualTo(292_000);

        assertThat(b.admit(E, "probe4", 292_000)).isZero();
        assertThat(b.record(E, "probe4", true, 293_000)).isEqualTo(Change.CLOSED);
        assertThat(b.state(E, 293_000)).isEqualTo(State.CLOSED);
        assertThat(b.admit(E, "d9", 293_000)).isZero();
        // Closed again, the next opening starts from the base open time.
        assertThat(b.record(E, "d9", false, 300_000)).isEqualTo(Change.OPENED);
        assertThat(b.admit(E, "d10", 300_000)).isEqualTo(330_000);
    }

    @Test
    void aProbeThatNeverReportsLetsAnotherProbeAfterTheProbeTimeout() {
        EndpointBreaker b = new EndpointBreaker(1, 10_000, 100_000, 15_000);
        b.record(E, "d1", false, 0);
        assertThat(b.admit(E, "lost", 10_000)).isZero();
        assertThat(b.holding(E, 24_999)).isTrue();
        assertThat(b.probeDue(E, 25_000)).isTrue();
        assertThat(b.admit(E, "next", 25_000)).isZero();
        assertThat(b.record(E, "next", true, 25_100)).isEqualTo(Change.CLOSED);
    }

    /** What the API shows as endpoint_failing: failures in a row with the latest status, before and after the breaker opens. */
    @Test
    void failingCountsFailuresInARowWithTheLastStatusUntilASuccess() {
        EndpointBreaker b = new EndpointBreaker(3, 30_000, 600_000, 15_000);
        assertThat(b.failing(E)).isNull();
        assertThat(b.record(E, "ok", true, 200, 0)).isEqualTo(Change.NONE);
        assertThat(b.failing(E)).isNull();
        b.record(E, "d1", false, 500, 0);
        assertThat(b.failing(E)).isEqualTo(new EndpointBreaker.Failing(1, 500));
        assertThat(b.state(E, 0)).as("one failure does not open the breaker").isEqualTo(State.CLOSED);
        b.record(E, "d2", false, null, 0);
        assertThat(b.failing(E)).as("no response").isEqualTo(new EndpointBreaker.Failing(2, null));
        assertThat(b.record(E, "d3", false, 503, 0)).isEqualTo(Change.OPENED);
        assertThat(b.failing(E)).isEqualTo(new EndpointBreaker.Failing(3, 503));
        assertThat(b.admit(E, "probe", 30_000)).isZero();
        b.record(E, "probe", false, 500, 30_000);
        assertThat(b.failing(E)).as("a failed probe counts too").isEqualTo(new EndpointBreaker.Failing(4, 500));
        assertThat(b.admit(E, "probe2", 90_000)).isZero();
        assertThat(b.record(E, "probe2", true, 200, 90_000)).isEqualTo(Change.CLOSED);
        assertThat(b.failing(E)).isNull();
        assertThat(b.failing("https://other.example:443")).isNull();
    }

    @Test
    void zeroFailuresNeverOpensButStillCountsFailing() {
        EndpointBreaker b = new EndpointBreaker(0, 10_000, 100_000, 15_000);
        for (int i = 0; i < 100; i++) {
            assertThat(b.record(E, "d" + i, false, i)).isEqualTo(Change.NONE);
        }
        assertThat(b.admit(E, "x", 100)).isZero();
        assertThat(b.state(E, 100)).isEqualTo(State.CLOSED);
        assertThat(b.failing(E)).isEqualTo(new EndpointBreaker.Failing(100, null));
    }
}
