package dev.ringlock.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the servers are and where side measurements go, from the environment that {@code run.sh} sets.
 * Environment variables rather than system properties, because JMH's forked JVMs inherit the environment.
 */
public final class BenchEnv {

    /** {@code host:port} of the Redis server. */
    public static final String REDIS = "RINGLOCK_BENCH_REDIS";

    /** The Sentinels of the Sentinel set-up (master, 1 replica, 3 Sentinels), as {@code host:port,host:port,...}. */
    public static final String SENTINELS = "RINGLOCK_BENCH_SENTINELS";

    /** The name the Sentinels monitor the set-up's master under. */
    public static final String SENTINEL_MASTER = "RINGLOCK_BENCH_SENTINEL_MASTER";

    /** Connect string of the ZooKeeper server. */
    public static final String ZOOKEEPER = "RINGLOCK_BENCH_ZOOKEEPER";

    /** Directory for measurements JMH does not report itself (hand-over latencies). */
    public static final String OUT = "RINGLOCK_BENCH_OUT";

    private BenchEnv() {
    }

    public static String redisHost() {
        String address = require(REDIS);
        return address.substring(0, address.lastIndexOf(':'));
    }

    public static int redisPort() {
        String address = require(REDIS);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The Sentinels, each {@code host:port}. */
    public static List<String> sentinels() {
        return List.of(require(SENTINELS).split(","));
    }

    public static String sentinelMaster() {
        return require(SENTINEL_MASTER);
    }

    public static String zooKeeper() {
        return require(ZOOKEEPER);
    }

    public static Path outDir() {
        String dir = System.getenv(OUT);
        return Path.of(dir != null && !dir.isBlank() ? dir : "target/bench-out");
    }

    private static String require(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name
                    + " is not set: run the benchmarks through benchmarks/run.sh, which starts the servers and sets it");
        }
        return value;
    }
}
