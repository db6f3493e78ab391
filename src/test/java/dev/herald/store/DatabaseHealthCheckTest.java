package dev.herald.store;

import org.apache.camel.health.HealthCheck;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseHealthCheckTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
    }

    /** A DataSource whose getConnection waits for {@link #release} (if asked to) and then fails like Hikari. */
    private DataSource refusing(boolean hang) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    connections.incrementAndGet();
                    if (hang) {
                        release.await();
                    }
                    throw new SQLTransientConnectionException("herald-db - Connection is not available",
                            "08001", new SQLException("FATAL: role \"x\" is not permitted to log in"));
                });
    }

    @Test
    void upWhileTheDatabaseAnswersAndReadinessOnly() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:health-check");
        DatabaseHealthCheck check = new DatabaseHealthCheck(h2, executor, 1000, 1000);
        HealthCheck.Result r = check.call();
        assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(check.getId()).isEqualTo("database");
        assertThat(check.isReadiness()).isTrue();
        assertThat(check.isLiveness()).isFalse();
    }

    @Test
    void downSaysWhyAndOneValidationServesProbesForASecond() {
        DatabaseHealthCheck check = new DatabaseHealthCheck(refusing(false), executor, 1000, 1000);
        for (int i = 0; i < 20; i++) {
            HealthCheck.Result r = check.call();
            assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("not permitted to log in"));
        }
        assertThat(connections).hasValue(1);
    }

    @Test
    void aProbeWaitsAtMostTheTimeoutAndStartsNoSecondValidation() {
        DatabaseHealthCheck check = new DatabaseHealthCheck(refusing(true), executor, 200, 0);
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HealthCheck.Result r = check.call();
            assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
            assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(r.getMessage()).hasValue("No database connection within 200 ms");
        }
        assertThat(connections.get()).as("validations started").isLessThanOrEqualTo(1);
    }
}
