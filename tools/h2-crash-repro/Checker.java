import java.sql.*;
import java.util.*;

public class Checker {
    public static void main(String[] a) throws Exception {
        String url = "jdbc:h2:file:" + a[0] + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=2000";
        int problems = 0;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            // table scan
            Map<String, Object[]> rows = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT id, status, due_at, attempts FROM delivery USE INDEX () WHERE status IS NOT NULL OR status IS NULL")) {
                while (rs.next()) rows.put(rs.getString(1), new Object[]{rs.getString(2), rs.getLong(3), rs.getInt(4)});
            }
            // index scan
            List<String> idxIds = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM delivery USE INDEX (delivery_claim) WHERE status >= '' ORDER BY status, due_at")) {
                while (rs.next()) idxIds.add(rs.getString(1));
            }
            String p1, p2;
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id FROM delivery USE INDEX (delivery_claim) WHERE status >= ''")) { rs.next(); p1 = rs.getString(1).replace('\n', ' '); }
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id, status, due_at, attempts FROM delivery USE INDEX () WHERE status IS NOT NULL OR status IS NULL")) { rs.next(); p2 = rs.getString(1).replace('\n', ' '); }
            System.out.println("plan idx: " + p1);
            System.out.println("plan scan: " + p2);
            System.out.println("table rows=" + rows.size() + " index entries=" + idxIds.size());
            Set<String> idxSet = new HashSet<>(idxIds);
            if (idxSet.size() != idxIds.size()) { problems++; System.out.println("INCONSISTENT: duplicate ids in index scan"); }
            for (String id : rows.keySet()) if (!idxSet.contains(id)) { problems++; System.out.println("INCONSISTENT: row missing from index scan " + id + " " + Arrays.toString(rows.get(id))); }
            for (String id : idxSet) if (!rows.containsKey(id)) { problems++; System.out.println("INCONSISTENT: index-only id " + id); }
            // per-row: index lookup on the row's own (status, due_at)
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM delivery USE INDEX (delivery_claim) WHERE status=? AND due_at=? AND id=?")) {
                for (Map.Entry<String, Object[]> e : rows.entrySet()) {
                    p.setString(1, (String) e.getValue()[0]); p.setLong(2, (Long) e.getValue()[1]); p.setString(3, e.getKey());
                    try (ResultSet rs = p.executeQuery()) { rs.next(); if (rs.getInt(1) != 1) { problems++; System.out.println("INCONSISTENT: index lookup by row values gives " + rs.getInt(1) + " for " + e.getKey() + " " + Arrays.toString(e.getValue())); } }
                }
            }
            // count comparison
            long max = Long.MAX_VALUE;
            long c1, c2;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM delivery USE INDEX (delivery_claim) WHERE status='pending' AND due_at <= " + max)) { rs.next(); c1 = rs.getLong(1); }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM delivery USE INDEX () WHERE status='pending' AND due_at <= " + max)) { rs.next(); c2 = rs.getLong(1); }
            System.out.println("count pending via index=" + c1 + " via scan=" + c2);
            if (c1 != c2) { problems++; System.out.println("INCONSISTENT: counts differ"); }
            // attempts vs delivery_attempt
            try (ResultSet rs = s.executeQuery("SELECT a.delivery_id, a.attempt, d.attempts, d.due_at FROM delivery_attempt a LEFT JOIN delivery d ON d.id=a.delivery_id WHERE d.id IS NULL OR d.attempts < a.attempt")) {
                while (rs.next()) { problems++; System.out.println("INCONSISTENT: attempt row " + rs.getString(1) + " attempt=" + rs.getInt(2) + " but delivery.attempts=" + rs.getObject(3) + " due_at=" + rs.getObject(4)); }
            }
            long na; try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM delivery_attempt")) { rs.next(); na = rs.getLong(1); }
            System.out.println("attempt rows=" + na);
            // try update of every row, rolled back
            c.setAutoCommit(false);
            int updErr = 0;
            try (PreparedStatement u = c.prepareStatement("UPDATE delivery SET due_at=due_at+1, attempts=attempts WHERE id=?")) {
                for (String id : rows.keySet()) {
                    try { u.setString(1, id); u.executeUpdate(); }
                    catch (SQLException e) { updErr++; problems++; System.out.println("INCONSISTENT: update failed for " + id + " " + Arrays.toString(rows.get(id)) + ": " + e.getMessage().split("\n")[0]); try { c.rollback(); } catch (Exception ignore) {} }
                }
            }
            c.rollback();
            System.out.println("update errors=" + updErr);
        }
        System.out.println(problems == 0 ? "RESULT OK" : "RESULT INCONSISTENT problems=" + problems);
        System.exit(problems == 0 ? 0 : 2);
    }
}
