package dev.herald.delivery.log;

import dev.herald.store.Database;
import dev.herald.store.SqlFailures;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The transactions of the attempt writer: a group of results in one, or one result alone.
 * A result alone that the database refuses is written again without the parts that may have
 * caused it, so its delivery's state is always written and the delivery is not sent again:
 * first without the response (a note says why), then, last, the delivery's state without
 * an attempt row.
 */
final class AttemptWrites {

    /**
     * Nothing can be written now: the database is away or refuses every write. Without its cause:
     * a batch failure quotes the statement with its values, and a waiting delivery thread logs this.
     */
    static final class DatabaseAway extends RuntimeException {
        final String reason;

        DatabaseAway(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AttemptWrites.class);

    private final Database db;
    private final AttemptLog log;

    AttemptWrites(Database db, AttemptLog log) {
        this.db = db;
        this.log = log;
    }

    /** All in one transaction; per result false when its lease was lost. Throws DatabaseAway or the row's failure. */
    boolean[] together(List<AttemptRecord> records) {
        return inTransaction(c -> log.record(c, records));
    }

    /** One result in its own transaction, degraded until it is written; false when its lease was lost. */
    boolean alone(AttemptRecord record) {
        String id = record.attempt().deliveryId();
        int attempt = record.attempt().attempt();
        String reason;
        try {
            return together(List.of(record))[0];
        } catch (DatabaseAway away) {
            throw away;
        } catch (RuntimeException e) {
            reason = SqlFailures.reason(e);
        }
        LOG.warn("Delivery {} attempt {}: its result was refused ({}); recording it without the response", id, attempt, reason);
        try {
            return together(List.of(withoutResponse(record, reason)))[0];
        } catch (DatabaseAway away) {
            throw away;
        } catch (RuntimeException e) {
            reason = SqlFailures.reason(e);
        }
        LOG.warn("Delivery {} attempt {}: its attempt row was refused again ({}); recording only the delivery's state",
                id, attempt, reason);
        AttemptRecord stateOnly = stateOnly(record, reason);
        try {
            return inTransaction(c -> log.recordStateOnly(c, stateOnly));
        } catch (DatabaseAway away) {
            throw away;
        } catch (RuntimeException e) {
            // Not even the row's own columns: nothing about this result is the cause.
            throw new DatabaseAway("the database refuses the delivery's state too: " + SqlFailures.reason(e));
        }
    }

    /**
     * A relaxed transaction (a result lost is an attempt made again), durable when it moved an ordered
     * line on. A failure before the work ran (no connection) or a connection failure means the
     * database is away, not this data.
     */
    private <T> T inTransaction(Database.Work<T> work) {
        boolean[] started = {false};
        try {
            // Durable when an ordered line moved on: a kill -9 must not forget that a head was
            // delivered once the next one may be sent (its receiver would see the head again after it).
            return db.inTransaction(c -> {
                started[0] = true;
                return work.run(c);
            }, log.lanes()::advanced);
        } catch (RuntimeException e) {
            if (!started[0] || SqlFailures.isDatabaseAway(e)) {
                throw new DatabaseAway(SqlFailures.reason(e));
            }
            throw e;
        }
    }

    private static AttemptRecord withoutResponse(AttemptRecord r, String reason) {
        Attempt a = r.attempt();
        Attempt bare = new Attempt(a.deliveryId(), a.attempt(), a.trigger(), a.startedAt(), a.durationMs(), a.url(),
                a.requestHeaders(), a.requestBody(), a.responseStatus(), null, "[response not stored: " + reason + "]",
                a.error());
        return new AttemptRecord(bare, r.heldToken(), r.outcome(), r.now(), r.payloadFormat());
    }

    /** The delivery's new state; an error (why the attempt failed) says instead why its attempt row is missing. */
    private static AttemptRecord stateOnly(AttemptRecord r, String reason) {
        return new AttemptRecord(r.attempt(), r.heldToken(), r.outcome().withError("[attempt not stored: " + reason + "]"),
                r.now(), r.payloadFormat());
    }
}
