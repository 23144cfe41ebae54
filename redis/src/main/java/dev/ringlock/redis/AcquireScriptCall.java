package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * The one way both kinds of attempt ({@link RedisLockAttempt}, {@link RedisSharedLockAttempt}) run an acquire
 * script: its answer awaited until the caller's wait ends (but {@link RedisLockProvider#MIN_REPLY_WAIT} at least),
 * and, when no answer came, what it may have taken given back.
 */
final class AcquireScriptCall {

    /** The acquire script of one kind, told how long its caller will wait and how long to await the answer. */
    @FunctionalInterface
    interface Script {

        @Nullable List<Long> call(long waitMillis, Duration timeout) throws InterruptedException;
    }

    private AcquireScriptCall() {
    }

    /**
     * Runs {@code script} for a caller with {@code remainingNanos} of its wait left.
     * @param takeBack gives back what the script may have taken; sent, not waited for
     */
    static @Nullable List<Long> run(long remainingNanos, Script script, Runnable takeBack)
            throws InterruptedException {
        long remainingMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(remainingNanos));
        try {
            return script.call(remainingMillis,
                    RedisLockProvider.max(Duration.ofMillis(remainingMillis), RedisLockProvider.MIN_REPLY_WAIT));
        }
        catch (DataAccessException | InterruptedException ex) {
            // The script may have run and only its answer been lost: give back a lock nobody would know of,
            // rather than leave it taken until its lease ends. Not waited for: Redis may not be answering.
            takeBack.run();
            throw ex;
        }
    }
}
