package dev.herald.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Runs JDBC work in one transaction. Repositories take the {@link Connection} so that
 * callers decide what belongs together (an event and its fan-out commit as one).
 */
public final class Database {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final boolean checkpointOnCommit;

    /**
     * On an H2 file ({@link Dialect#h2File}) a durable transaction ends with a CHECKPOINT: the
     * embedded H2 writes commits to its file in the background (every 500 ms), and it must be on
     * disk before the caller acknowledges anything. PostgreSQL commits are durable already.
     */
    public Database(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.checkpointOnCommit = dialect.h2File();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The database this is, decided once from its URL. */
    public Dialect dialect() {
        return dialect;
    }

    /** One transaction, on disk when this returns: for everything Herald acknowledges. */
    public <T> T inTransaction(Work<T> work) {
        return transaction(work, true);
    }

    /**
     * One transaction that may reach the disk up to half a second after it returns on the
     * embedded H2 (a kill -9 in between loses it). Only for delivery's own state, which
     * the scheduler rebuilds: leases, claims and attempt results (a lost result means the
     * attempt is made again, at-least-once as promised).
     */
    public <T> T inRelaxedTransaction(Work<T> work) {
        return transaction(work, false);
    }

    /**
     * A relaxed transaction that is on disk when this returns if {@code durable}, asked once the work
     * ran, says so: the work decides whether what it wrote must survive a kill -9.
     */
    public <T> T inTransaction(Work<T> work, java.util.function.BooleanSupplier durable) {
        return transaction(work, durable);
    }

    private <T> T transaction(Work<T> work, boolean durable) {
        return transaction(work, () -> durable);
    }

    private <T> T transaction(Work<T> work, java.util.function.BooleanSupplier durable) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                if (checkpointOnCommit && durable.getAsBoolean()) {
                    checkpoint(c);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Read-only work; runs in auto-commit mode. */
    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private final Object checkpointLock = new Object();
    private long commitsSeen;
    private long commitsOnDisk;
    private boolean checkpointing;

    /**
     * Group checkpoint: the caller's commit is on disk when this returns. One caller writes
     * the store for every commit made before it started; the others wait for that write
     * instead of each writing their own.
     */
    private void checkpoint(Connection c) throws SQLException {
        long mine;
        synchronized (checkpointLock) {
            mine = ++commitsSeen;
        }
        while (true) {
            long upTo;
            synchronized (checkpointLock) {
                while (checkpointing && commitsOnDisk < mine) {
                    try {
                        checkpointLock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted waiting for the checkpoint", e);
                    }
                }
                if (commitsOnDisk >= mine) {
                    return;
                }
                checkpointing = true;
                upTo = commitsSeen;
            }
            boolean written = false;
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
                written = true;
            } finally {
                synchronized (checkpointLock) {
                    checkpointing = false;
                    if (written) {
                        commitsOnDisk = Math.max(commitsOnDisk, upTo);
                    }
                    checkpointLock.notifyAll();
                }
            }
        }
    }

    /** SQLState 23505 is a unique violation on both H2 and PostgreSQL. */
    public static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }
}
