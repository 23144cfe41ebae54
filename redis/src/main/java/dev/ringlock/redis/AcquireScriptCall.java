package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * One call of an acquire script, as exclusive and shared attempts make it: its answer awaited until the caller's
 * wait ends, but {@link RedisLockProvider#MIN_REPLY_WAIT} at least. When the call fails or is interrupted, the
 * script may have run and only its answer been lost: what it may have taken is given back at once, rather than left
 * held until its lease ends, and not waited for, since Redis may not be answering.
 */
final class AcquireScriptCall {

    /** The script, run with the caller's remaining wait and the longest to wait for its answer. */
    @FunctionalInterface
    interface Script {

        @Nullable List<Long> run(long remainingMillis, Duration replyWait) throws InterruptedException;
    }

    private AcquireScriptCall() {
    }

    static @Nullable List<Long> run(long remainingNanos, Script script, Runnable giveBack) throws InterruptedException {
        long remainingMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(remainingNanos));
        try {
            return script.run(remainingMillis,
                    RedisLockProvider.max(Duration.ofMillis(remainingMillis), RedisLockProvider.MIN_REPLY_WAIT));
        }
        catch (DataAccessException | InterruptedException ex) {
            giveBack.run();
            throw ex;
        }
    }
}
