package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A database away or one row refused, and reasons that never quote the data. */
class SqlFailuresTest {

    @Test
    void connectionLoginAndShutdownFailuresMeanTheDatabaseIsAway() {
        assertThat(SqlFailures.isDatabaseAway(new StoreException(new SQLException("I/O error", "08006")))).isTrue();
        assertThat(SqlFailures.isDatabaseAway(new SQLException("terminating connection", "57P01"))).isTrue();
        // Hikari's timeout carries the state of the last login failure.
        assertThat(SqlFailures.isDatabaseAway(new SQLTransientConnectionException("not available", "28000"))).isTrue();
        assertThat(SqlFailures.isDatabaseAway(new SQLException("Database is already closed", "90098"))).isTrue();
    }

    @Test
    void refusedDataIsNotTheDatabaseAway() {
        assertThat(SqlFailures.isDatabaseAway(new SQLException("too long", "22001"))).isFalse();
        assertThat(SqlFailures.isDatabaseAway(new StoreException(new SQLException("dup", "23505")))).isFalse();
        assertThat(SqlFailures.isDatabaseAway(new IllegalStateException("cannot write JSON"))).isFalse();
    }

    @Test
    void reasonsQuoteNoValues() {
        SQLException h2 = new SQLException("Value too long for column \"URL CHARACTER VARYING(5)\": \"'secret body' (11)\"", "22001");
        assertThat(SqlFailures.reason(new StoreException(h2))).isEqualTo("SQLState 22001 (a value too long)");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT ... VALUES (('secret body')) was aborted",
                "22021", new int[0]);
        batch.setNextException(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
        assertThat(SqlFailures.reason(batch)).isEqualTo("SQLState 22021 (characters refused)");
        BatchUpdateException lost = new BatchUpdateException("Batch entry 0 INSERT ... VALUES (('secret body')) was aborted",
                "08006", new int[0]);
        lost.setNextException(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        assertThat(SqlFailures.reason(lost)).isEqualTo("SQLState 08006: An I/O error occurred while sending to the backend.");
        assertThat(SqlFailures.reason(new IllegalStateException("cannot write JSON: secret body")))
                .isEqualTo("IllegalStateException");
    }
}
