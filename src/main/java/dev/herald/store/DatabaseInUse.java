package dev.herald.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * H2 refuses a database file another process has open (error 90020, "Database may be already in
 * use") with a trace of 40 lines; an operator needs one: which file, and which process when a
 * Herald's lock file beside it names one (another Herald whose herald.data.dir differs but whose
 * herald.db.url is the same).
 */
public final class DatabaseInUse {

    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private DatabaseInUse() {
    }

    /** {@code failure} as one line when it is H2's "file in use", else {@code failure} itself. */
    public static RuntimeException explain(RuntimeException failure, String url) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && e.getErrorCode() == H2_DATABASE_ALREADY_OPEN && url.startsWith("jdbc:h2:file:")) {
                Path file = Path.of(url.substring("jdbc:h2:file:".length()).split(";", 2)[0] + ".mv.db");
                Path dir = file.toAbsolutePath().getParent();
                return new IllegalStateException("the database file " + file + " is in use by another process"
                        + (dir == null ? "" : DataDirectoryLock.heldBy(dir)) + ": stop it first, or point herald.db.url at another file", failure);
            }
        }
        return failure;
    }
}
