package dev.ringlock.bench.lock;

import java.time.Duration;

/** How long any contender waits for a lock: long enough never to give up under 8-way contention. */
public final class LockWaits {

    public static final Duration WAIT = Duration.ofSeconds(60);

    /** The lease of contenders that take one explicitly: Ringlock's and Redisson's default. */
    public static final Duration LEASE = Duration.ofSeconds(30);

    private LockWaits() {
    }

    /** The failure of a contender that waited {@link #WAIT} for {@code what} on {@code key} and did not get it. */
    public static IllegalStateException notAcquired(String what, String key) {
        return new IllegalStateException(what + " " + key + " not acquired in " + WAIT);
    }
}
