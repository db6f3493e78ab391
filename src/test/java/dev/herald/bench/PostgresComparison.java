package dev.herald.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP flood of {@link Benchmark} three times in one run: on the embedded H2, on PostgreSQL
 * with one Herald instance, and on PostgreSQL with two (ingest round robin, one receiver). Each
 * PostgreSQL run starts on an empty schema. Prints deliveries/s, each against H2, and the CPU per
 * delivery of the Herald JVMs and of the PostgreSQL server. Not a test:
 * {@code mvn -B -Pbench verify -Dbench.main=dev.herald.bench.PostgresComparison}; the flood's
 * settings are Benchmark's (-Dbench.events=..., -Dbench.warmup=...).
 */
public final class PostgresComparison {

    private record Setup(String name, String dbUrl, int instances) {
    }

    public static void main(String[] args) throws Exception {
        String schema = System.getProperty("bench.pg-schema", "herald_bench");
        String server = System.getProperty("bench.pg-server", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("bench.pg-user", "postgres");
        String pg = server + "?currentSchema=" + schema;
        String heraldArgs = System.getProperty("bench.herald-args", "");
        List<Setup> setups = List.of(new Setup("H2 (embedded), 1 instance", null, 1),
                new Setup("PostgreSQL, 1 instance", pg, 1), new Setup("PostgreSQL, 2 instances", pg, 2));
        System.setProperty("bench.phases", System.getProperty("bench.phases", "http"));
        Map<String, Object> all = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        double h2Rate = 0;
        for (Setup setup : setups) {
            if (setup.dbUrl() == null) {
                System.clearProperty("bench.db-url");
                System.setProperty("bench.herald-args", heraldArgs);
            } else {
                emptySchema(server, user, schema);
                System.setProperty("bench.db-url", setup.dbUrl());
                System.setProperty("bench.herald-args", (heraldArgs + " -Dherald.db.user=" + user).trim());
            }
            System.setProperty("bench.instances", Integer.toString(setup.instances()));
            System.out.println("[bench] === " + setup.name() + " ===");
            Benchmark b = new Benchmark();
            Map<String, Object> results;
            try {
                results = b.run();
            } finally {
                b.stopAll();
            }
            if (setup.dbUrl() != null) {
                results.put("claim_index", claimIndexReads(server, user, schema));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> http = (Map<String, Object>) results.get("http_throughput");
            double rate = ((Number) http.get("deliveries_per_s")).doubleValue();
            if (setup.dbUrl() == null) {
                h2Rate = rate;
            }
            all.put(setup.name(), results);
            rows.add(new String[] {setup.name(), String.format("%,.0f", rate),
                    h2Rate == 0 ? "-" : String.format("%.0f%%", rate * 100 / h2Rate),
                    http.get("herald_cpu_us_per_delivery") + " us", http.get("postgresql_cpu_us_per_delivery") + " us",
                    http.get("receiver_cpu_us_per_delivery") + " us"});
        }
        System.out.println();
        System.out.println("H2 vs PostgreSQL, HTTP flood (" + System.getProperty("bench.events", "200000") + " events, one webhook)");
        System.out.printf("  %-28s %14s %9s %16s %16s %16s%n", "", "deliveries/s", "of H2", "Herald CPU/dlv", "PostgreSQL CPU/dlv", "receiver CPU/dlv");
        for (String[] r : rows) {
            System.out.printf("  %-28s %14s %9s %16s %16s %16s%n", (Object[]) r);
        }
        Path out = Path.of(System.getProperty("bench.out", "bench/results"));
        Files.createDirectories(out);
        Path file = out.resolve("postgresql-" + Instant.now().toString().replace(":", "") + ".json");
        Files.writeString(file, Benchmark.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
        System.out.println("results: " + file);
    }

    /**
     * How many index entries the scheduler's claims read over the run (warm-up included), from
     * PostgreSQL's statistics, read after the instances stopped (a backend reports at its exit).
     * Entries read per scan, far above the claim's limit, mean dead versions read again and again;
     * rows fetched counts only index scans (a bitmap scan fetches through the table and reports 0).
     */
    private static Map<String, Object> claimIndexReads(String server, String user, String schema) throws Exception {
        Map<String, Object> reads = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(server, user, "");
                PreparedStatement ps = c.prepareStatement("SELECT idx_scan, idx_tup_read, idx_tup_fetch FROM pg_stat_user_indexes"
                        + " WHERE schemaname = ? AND indexrelname = 'delivery_claim'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    reads.put("scans", rs.getLong(1));
                    reads.put("entries_read", rs.getLong(2));
                    reads.put("rows_fetched", rs.getLong(3));
                }
            }
        }
        System.out.println("[bench] Claim index (delivery_claim, whole run): " + reads);
        return reads;
    }

    /** A fresh, empty schema: every PostgreSQL run starts from Flyway's first migration. */
    private static void emptySchema(String server, String user, String schema) throws Exception {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("bench.pg-schema must be a plain lower-case name: " + schema);
        }
        try (Connection c = DriverManager.getConnection(server, user, ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        }
    }
}
