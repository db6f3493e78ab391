package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU time of processes and their threads, read from /proc (Linux; -1 or empty elsewhere). */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** User + system CPU seconds of a process; clock ticks are 1/100 s. */
    static double seconds(long pid) {
        try {
            return seconds(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException e) {
            return -1;
        }
    }

    static double seconds(List<Process> processes) {
        return processes.stream().mapToDouble(p -> seconds(p.pid())).sum();
    }

    /**
     * CPU seconds of every PostgreSQL server process on this machine (backends, WAL writer,
     * checkpointer...): the database's side of a run, which the Herald JVMs do not show. Zero
     * where no server runs here. Processes that ended (autovacuum workers, closed connections) count
     * in the server's main process as its children's time.
     */
    static double postgres() {
        double sum = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals("postgres")) {
                        sum += seconds(stat) + childrenSeconds(stat);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended between listing and reading
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    /**
     * CPU seconds per thread group of some processes (thread names with digits folded: all
     * delivery threads are one group), from /proc/<pid>/task. Threads that ended meanwhile
     * are missing, which is why the phases read it at their end too.
     */
    static Map<String, Double> threads(List<Process> processes) {
        Map<String, Double> out = new HashMap<>();
        for (Process p : processes) {
            try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                        out.merge(name, seconds(stat), Double::sum);
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended between listing and reading
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }
        return out;
    }

    /** Where a phase's CPU went: microseconds per delivery for each thread group, largest first. */
    static Map<String, Object> shares(Map<String, Double> before, Map<String, Double> after, long deliveries) {
        Map<String, Object> out = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put(e.getKey(), Benchmark.round(e.getValue() * 1e6 / Math.max(1, deliveries))));
        return out;
    }

    static double compiler(Map<String, Double> threads) {
        return threads.entrySet().stream().filter(e -> e.getKey().startsWith("C# Compiler"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** CPU of the ended children a process waited for (fields cutime and cstime). */
    private static double childrenSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
    }

    private static double seconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }
}
