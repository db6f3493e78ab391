package dev.herald.store;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** The database server here runs on this machine's clock: the skew found is a round trip at most, not hours of time zone. */
class ClockCheckTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void theSameClockShowsNoSkew(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, tempDir); Connection c = t.db.dataSource().getConnection()) {
            assertThat(Math.abs(ClockCheck.skewMillis(c))).isLessThan(ClockCheck.WARN_MILLIS);
        }
    }
}
