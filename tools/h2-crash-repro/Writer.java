import java.sql.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

public class Writer {
    static String url;
    static final boolean EARLY = Boolean.getBoolean("early");
    static final ConcurrentLinkedDeque<String> recent = new ConcurrentLinkedDeque<>();
    static final ConcurrentHashMap<String, int[]> attempts = new ConcurrentHashMap<>();
    static final ConcurrentHashMap<String, String> tokens = new ConcurrentHashMap<>();
    static final AtomicLong ins = new AtomicLong(), upd = new AtomicLong(), ckpt = new AtomicLong(), err = new AtomicLong();

    public static void main(String[] a) throws Exception {
        url = "jdbc:h2:file:" + a[0] + ";DB_CLOSE_ON_EXIT=FALSE";
        int threads = a.length > 1 ? Integer.parseInt(a[1]) : 6;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS delivery(id VARCHAR(40) PRIMARY KEY, status VARCHAR(16), attempts INT, due_at BIGINT, lease_token VARCHAR(40))");
            s.execute("CREATE INDEX IF NOT EXISTS delivery_claim ON delivery(status, due_at)");
            s.execute("CREATE TABLE IF NOT EXISTS delivery_attempt(delivery_id VARCHAR(40), attempt INT, at_ms BIGINT, note VARCHAR(100), PRIMARY KEY(delivery_id, attempt), FOREIGN KEY(delivery_id) REFERENCES delivery(id))");
            // reload recent pending rows so updates continue across restarts
            try (ResultSet rs = s.executeQuery("SELECT id, attempts, lease_token FROM delivery ORDER BY due_at DESC LIMIT 2000")) {
                while (rs.next()) { attempts.put(rs.getString(1), new int[]{rs.getInt(2)}); tokens.put(rs.getString(1), rs.getString(3)); recent.add(rs.getString(1)); }
            }
        }
        for (int i = 0; i < threads; i++) {
            final boolean durable = i % 2 == 0;
            Thread t = new Thread(() -> { try { if (durable) durable(); else relaxed(); } catch (Throwable e) { e.printStackTrace(); } });
            t.setDaemon(false); t.start();
        }
        long start = System.currentTimeMillis();
        while (true) {
            Thread.sleep(500);
            System.out.printf("t=%dms inserted=%d updated=%d checkpoints=%d errors=%d%n", System.currentTimeMillis() - start, ins.get(), upd.get(), ckpt.get(), err.get());
        }
    }

    static void durable() throws Exception {
        Connection c = DriverManager.getConnection(url);
        c.setAutoCommit(false);
        PreparedStatement p = c.prepareStatement("INSERT INTO delivery(id,status,attempts,due_at,lease_token) VALUES(?,?,?,?,?)");
        Statement s = c.createStatement();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (true) {
            List<String> ids = new ArrayList<>();
            int n = 1 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString(), tok = UUID.randomUUID().toString();
                p.setString(1, id); p.setString(2, "pending"); p.setInt(3, 0);
                p.setLong(4, System.currentTimeMillis() + r.nextInt(100000)); p.setString(5, tok);
                p.executeUpdate();
                ids.add(id); tokens.put(id, tok); attempts.put(id, new int[]{0});
            }
            c.commit();
            if (EARLY) for (String id : ids) recent.addFirst(id);
            s.execute("CHECKPOINT");
            ckpt.incrementAndGet();
            ins.addAndGet(n);
            if (!EARLY) for (String id : ids) recent.addFirst(id);
        }
    }

    static void relaxed() throws Exception {
        Connection c = DriverManager.getConnection(url);
        c.setAutoCommit(false);
        PreparedStatement u = c.prepareStatement("UPDATE delivery SET attempts=?, due_at=?, lease_token=? WHERE id=? AND lease_token=?");
        PreparedStatement ia = c.prepareStatement("INSERT INTO delivery_attempt(delivery_id, attempt, at_ms, note) VALUES(?,?,?,?)");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (true) {
            List<String> got = new ArrayList<>();
            int want = 5 + r.nextInt(30);
            for (int i = 0; i < want; i++) { String id = recent.pollFirst(); if (id == null) break; got.add(id); }
            if (got.isEmpty()) { Thread.sleep(1); continue; }
            Map<String, String> newTok = new HashMap<>();
            int done = 0;
            try {
                for (String id : got) {
                    int att = attempts.get(id)[0] + 1;
                    String nt = UUID.randomUUID().toString();
                    u.setInt(1, att); u.setLong(2, System.currentTimeMillis() + r.nextInt(1000000)); u.setString(3, nt);
                    u.setString(4, id); u.setString(5, tokens.get(id));
                    if (u.executeUpdate() != 1) throw new IllegalStateException("lease lost " + id);
                    ia.setString(1, id); ia.setInt(2, att); ia.setLong(3, System.currentTimeMillis()); ia.setString(4, "attempt " + att);
                    ia.executeUpdate();
                    newTok.put(id, nt);
                }
                c.commit();
                for (Map.Entry<String, String> e : newTok.entrySet()) { tokens.put(e.getKey(), e.getValue()); attempts.get(e.getKey())[0]++; }
                upd.addAndGet(newTok.size());
            } catch (Exception e) {
                err.incrementAndGet(); System.out.println("ERR " + e);
                try { c.rollback(); } catch (Exception ignore) {}
            }
            // put rows back near front so the same recent rows keep changing; drop some
            for (String id : got) if (r.nextInt(20) != 0) recent.addLast(id);
            if (recent.size() > 3000) for (int i = 0; i < 500; i++) recent.pollLast();
        }
    }
}
