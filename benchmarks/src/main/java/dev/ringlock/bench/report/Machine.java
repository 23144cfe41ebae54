package dev.ringlock.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.ringlock.bench.BenchEnv;

/** What the run ran on: cores, memory, CPU, JDK; and which servers. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), " + memory() + " memory, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    static String servers() {
        String redis = System.getenv("RINGLOCK_BENCH_REDIS_VERSION");
        String zk = org.apache.zookeeper.Version.getFullVersion();
        return "Redis " + (redis != null ? redis : "?") + " (`redis-server` process at " + System.getenv(BenchEnv.REDIS)
                + "), ZooKeeper " + zk.substring(0, zk.indexOf('-') > 0 ? zk.indexOf('-') : zk.length())
                + " standalone server process" + sentinel() + "; all on loopback";
    }

    /** The Sentinel set-up of the replica acknowledgement benchmarks, when the run started it. */
    private static String sentinel() {
        String sentinels = System.getenv(BenchEnv.SENTINELS);
        return sentinels == null || sentinels.isBlank() ? ""
                : ", a Sentinel set-up of the same binary (master '" + System.getenv(BenchEnv.SENTINEL_MASTER)
                        + "', 1 replica, 3 Sentinels at " + sentinels + ")";
    }

    private static String cpuModel() {
        return grep("/proc/cpuinfo", "model name").orElseGet(() -> System.getProperty("os.arch"));
    }

    private static String memory() {
        return grep("/proc/meminfo", "MemTotal").map(line -> {
            long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
            return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        }).orElse("?");
    }

    private static java.util.Optional<String> grep(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        }
        catch (IOException | RuntimeException ex) {
            return java.util.Optional.empty();
        }
    }
}
