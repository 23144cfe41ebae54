package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs the lock's scripts with a bound on how long the caller waits for the answer.
 * <p>
 * The client's own command timeout (Lettuce's default is 60 s) is no bound a lock can live with: a waiter
 * told to wait 2 s, or a watchdog that must renew every third of a lease, would sit on a server that
 * stopped answering (frozen, black-holed by the network) for a minute. So scripts go out asynchronously
 * (when the connection factory is reactive, as Lettuce's is) and the answer is awaited for a given time
 * only. A script whose answer came too late may still have run: callers decide what that means.
 * <p>
 * The reactive connection is opened by {@link #connect()} at start-up: opened on first use instead, it
 * would block that caller (the acquire of a waiter on a frozen server, say) for the client's own timeout,
 * before any bound of ours applies. Once open, Lettuce reconnects it by itself after a failure.
 * <p>
 * Without a reactive connection factory (Jedis), scripts run synchronously, bounded by the client's own
 * timeout.
 */
final class BoundedScripts {

    private final StringRedisTemplate redis;
    private final @Nullable ReactiveStringRedisTemplate reactiveRedis;

    BoundedScripts(RedisConnectionFactory connectionFactory, StringRedisTemplate redis) {
        this.redis = redis;
        this.reactiveRedis = connectionFactory instanceof ReactiveRedisConnectionFactory reactive
                ? new ReactiveStringRedisTemplate(reactive) : null;
    }

    /** Opens the reactive connection and checks that the server answers; for start-up. */
    void connect() {
        if (reactiveRedis != null) {
            reactiveRedis.execute(connection -> connection.ping()).blockLast();
        }
        else {
            redis.execute(connection -> connection.ping(), true);
        }
    }

    /** Sends {@code script}; the future fails with a {@link TimeoutException} when no answer came within {@code timeout}. */
    <T> CompletableFuture<@Nullable T> send(RedisScript<T> script, List<String> keys, List<String> args,
            Duration timeout) {
        if (reactiveRedis != null) {
            return reactiveRedis.execute(script, keys, args)
                    .collectList()
                    .map(BoundedScripts::<T>single)
                    .timeout(timeout)
                    .toFuture();
        }
        try {
            return CompletableFuture.completedFuture(redis.execute(script, keys, args.toArray()));
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    /**
     * Runs {@code script} and waits at most {@code timeout} for its answer.
     * @throws QueryTimeoutException when no answer came in time (the script may have run)
     * @throws DataAccessException when Redis failed
     */
    <T> @Nullable T call(RedisScript<T> script, List<String> keys, List<String> args, Duration timeout)
            throws InterruptedException {
        CompletableFuture<@Nullable T> answer = send(script, keys, args, timeout);
        try {
            // the reactive timeout ends the future; the margin only guards against a timer that never fires
            return answer.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
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
            if (cause instanceof TimeoutException timeoutException) {
                throw timedOut(timeout, timeoutException);
            }
            if (cause instanceof DataAccessException dataAccess) {
                throw dataAccess;
            }
            throw new RedisSystemException("Redis failed: " + cause, cause);
        }
    }

    private static QueryTimeoutException timedOut(Duration timeout, TimeoutException cause) {
        return new QueryTimeoutException("Redis did not answer within " + timeout.toMillis() + " ms", cause);
    }

    /**
     * A script's answer from the reactive API: Lettuce hands a multi-bulk reply over element by element, a
     * single value as one element.
     */
    @SuppressWarnings("unchecked")
    private static <T> @Nullable T single(List<?> elements) {
        if (elements.isEmpty()) {
            return null;
        }
        return elements.size() == 1 ? (T) elements.get(0) : (T) elements;
    }
}
