package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.ClassUtils;

/**
 * The one way this module talks to Redis: every command of locks, counters and ring membership is a script
 * sent here, and every call is bounded by a deadline its caller states.
 * <p>
 * The client's own command timeout (Lettuce's default is 60 s, {@code spring.data.redis.timeout}) is no bound
 * Ringlock can live with: a waiter told to wait 2 s, or a watchdog that must renew every third of a lease,
 * would sit on a server that stopped answering (frozen, black-holed by the network) for a minute. So scripts
 * go out asynchronously (on Lettuce, through {@link LettuceScriptChannel}) and the answer is awaited for a
 * given time only. The rule for that time: locks wait as long as the caller's wait time or the lease allows
 * (at least {@link RedisLockProvider#MIN_REPLY_WAIT}), counters {@code ringlock.counter.timeout}, membership one
 * heartbeat period. A script whose answer came too late may still have run: callers decide what that means.
 * <p>
 * The connection is opened by {@link #connect()} at start-up: opened on first use instead, it would block
 * that caller (the acquire of a waiter on a frozen server, say) for the client's own timeout, before any
 * bound of ours applies. Once open, Lettuce reconnects it by itself after a failure.
 * <p>
 * With another client (Jedis), scripts run synchronously through the template, bounded by the client's own
 * timeout.
 */
final class BoundedScripts implements AutoCloseable {

    private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
            BoundedScripts.class.getClassLoader());

    private final ScriptChannel channel;

    BoundedScripts(RedisConnectionFactory connectionFactory) {
        this.channel = LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce
                ? new LettuceScriptChannel(lettuce)
                : new TemplateScriptChannel(new StringRedisTemplate(connectionFactory));
    }

    /** Opens the connection and checks that the server answers; for start-up. */
    void connect() {
        channel.connect();
    }

    @Override
    public void close() {
        channel.close();
    }

    /**
     * Sends {@code script}; the future fails with a {@link TimeoutException} when no answer came within
     * {@code timeout}.
     * @param timer ends the wait when no answer came in time; the caller's shared scheduler, not shut down here
     */
    <T> CompletableFuture<@Nullable T> send(RedisScript<T> script, List<String> keys, List<String> args,
            Duration timeout, ScheduledExecutorService timer) {
        CompletableFuture<@Nullable T> answer = channel.send(script, keys, args);
        if (!answer.isDone()) {
            ScheduledFuture<?> expiry = timer.schedule(
                    () -> answer.completeExceptionally(new TimeoutException("No answer from Redis within "
                            + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
            answer.whenComplete((value, failure) -> expiry.cancel(false));
        }
        return answer;
    }

    /**
     * Runs {@code script} and waits at most {@code timeout} for its answer.
     * @throws QueryTimeoutException when no answer came in time (the script may have run)
     * @throws DataAccessException when Redis failed
     */
    <T> @Nullable T call(RedisScript<T> script, List<String> keys, List<String> args, Duration timeout)
            throws InterruptedException {
        CompletableFuture<@Nullable T> answer = channel.send(script, keys, args);
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            answer.cancel(true);
            throw ex;
        }
        catch (TimeoutException ex) {
            answer.cancel(true);
            throw timedOut(timeout, ex);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof DataAccessException dataAccess) {
                throw dataAccess;
            }
            throw new RedisSystemException("Redis failed: " + cause, cause);
        }
    }

    private static QueryTimeoutException timedOut(Duration timeout, TimeoutException cause) {
        return new QueryTimeoutException("Redis did not answer within " + timeout.toMillis() + " ms", cause);
    }
}
