package dev.herald.store;

import java.sql.SQLException;

/** The database failed; callers may retry, sources must not acknowledge. */
public class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("database error: " + cause.getMessage(), cause);
    }
}
