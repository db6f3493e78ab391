package dev.herald.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Clears the old versions of rewritten rows from the embedded H2 file: when the start seals webhook
 * secrets stored in plain text, H2's MVStore writes the sealed rows into new chunks and leaves the
 * plain ones in older chunks until it reuses them, which can be long after (a kill -9 keeps them;
 * only the bounded compaction of a clean close moves some). SHUTDOWN COMPACT copies the live pages
 * into a new file that replaces the old one; the start runs it before anything is served, so its
 * time (seconds per GB kept) is paid once, at the start that sealed. {@value #PENDING} in the data
 * directory is there from before the rewrite until the copy is done, so a start killed in between
 * compacts at the next start.
 */
public final class H2FullCompaction {

    public static final String PENDING = "herald.compact-pending";
    private static final Logger LOG = LoggerFactory.getLogger(H2FullCompaction.class);

    private final Path pending;
    private final boolean leftPending;

    private H2FullCompaction(Path pending, boolean leftPending) {
        this.pending = pending;
        this.leftPending = leftPending;
    }

    /** Before rows may be rewritten: marks the file as possibly holding old versions. */
    public static H2FullCompaction before(Path dataDir) {
        Path pending = dataDir.resolve(PENDING);
        boolean left = Files.exists(pending);
        try {
            Files.writeString(pending, "old row versions may be in the database file until it is compacted\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pending, e);
        }
        return new H2FullCompaction(pending, left);
    }

    /** Whether the file must be compacted: {@code rewritten} rows now, or a start killed before its compaction. */
    public boolean needed(int rewritten) {
        return rewritten > 0 || leftPending;
    }

    /**
     * Compacts on a connection of its own (H2 closes every session of the database with it, so the
     * pool's connections are dead afterwards: close the pool and open a new one).
     */
    public void compact(String url, String user, String password) {
        long started = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        LOG.info("Database file compacted: the old versions of the rewritten rows are gone ({} ms)",
                System.currentTimeMillis() - started);
    }

    /** After the compaction, or when none was needed. */
    public void done() {
        try {
            Files.deleteIfExists(pending);
        } catch (IOException e) {
            LOG.warn("Could not remove {}: the next start compacts the database file again", pending);
        }
    }

    /** The rewrite failed (rolled back): the file is as it was before {@link #before}. */
    public void failed() {
        if (!leftPending) {
            done();
        }
    }
}
