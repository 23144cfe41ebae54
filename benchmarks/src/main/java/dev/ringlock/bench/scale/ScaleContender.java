package dev.ringlock.bench.scale;

/**
 * One library holding many locks at once for {@link RenewalScaleBenchmark}: it acquires them with its watchdog
 * renewing every lease, names the Redis key of each so the harness can check them on the server, and releases them.
 */
interface ScaleContender extends AutoCloseable {

    /** The lease each lock is taken with (and renewed to). */
    long LEASE_MILLIS = 30_000;

    /** Acquires {@code keys}, each with a watchdog-renewed lease of {@link #LEASE_MILLIS}; throws if one is not taken. */
    void acquireAll(String[] keys) throws Exception;

    /** Releases everything {@link #acquireAll} took. */
    void releaseAll() throws Exception;

    /** The Redis key holding the lock on {@code key}. */
    String redisKey(String key);

    /** How many held locks the library itself (without asking Redis) still counts as held; -1 if it cannot tell. */
    int locallyValid();

    /** The library's renewal settings as it was configured, for the result file. */
    String settings();
}
