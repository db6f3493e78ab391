package dev.herald.subscription;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * SQL for what Herald itself changes on a webhook: disabling it (a 410, or failing too long)
 * and the time since when its attempts have all failed. Neither touches {@code updated_at}:
 * that is the time of the user's last change.
 */
public final class WebhookStates {

    private final WebhookRepository webhooks;

    public WebhookStates(WebhookRepository webhooks) {
        this.webhooks = webhooks;
    }

    /** Makes an active webhook inactive with a reason; false when it was inactive (or deleted) already. */
    public boolean disable(Connection c, String id, String reason, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook SET active = FALSE, disabled_reason = ?,"
                + " disabled_at = ?, failing_since = NULL WHERE id = ? AND active = TRUE")) {
            ps.setString(1, reason);
            ps.setLong(2, now);
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        } finally {
            webhooks.forget(id);
        }
    }

    /** Since when the webhook's attempts have all failed, as stored (empty: not failing, or no such webhook). */
    public Optional<Long> failingSince(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT failing_since FROM webhook WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long since = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(since);
            }
        }
    }

    /** Stores the start of a run of failures (kept if one is stored already: another instance saw it first). */
    public void failingSince(Connection c, String id, long since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook SET failing_since = ?"
                + " WHERE id = ? AND failing_since IS NULL")) {
            ps.setLong(1, since);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** A success: the webhook is not failing. */
    public void notFailing(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook SET failing_since = NULL"
                + " WHERE id = ? AND failing_since IS NOT NULL")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }
}
