package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.counter.CounterNames;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.counter.CounterValues;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Counters on Redis, one string key per counter ({@code <prefix>:counter:{<name>}}) holding the value in
 * decimal, and one round trip per operation: {@code INCRBY} for additions, and a Lua script for each of the
 * others (a compare of strings for compare-and-set, {@code GET}, {@code SET} and {@code DEL}).
 * <p>
 * Every call waits for Redis's answer at most the store's timeout ({@code ringlock.counter.timeout}), whatever
 * the client's own command timeout: past it, a read fails with a {@link CounterBackendException} and an update
 * with a {@link CounterOutcomeUnknownException}, since it may still have been applied.
 * <p>
 * Redis checks every addition for overflow itself ({@code INCRBY} refuses to pass the range of a long);
 * that refusal becomes an {@link ArithmeticException}. A key that does not hold a decimal long (another
 * program wrote it) is a {@link CounterEncodingException}, on every operation that reads it.
 * <p>
 * Counters live as long as the Redis data does: with persistence off, a restart brings every counter back
 * to 0. Turn on AOF ({@code appendonly yes}, {@code appendfsync everysec} or {@code always}) where counters
 * must survive restarts, and remember that a failover to a replica that had not yet received the last
 * writes can hand out values again.
 */
public final class RedisCounterStore implements CounterStore, InitializingBean, DisposableBean {

    /** How long a call waits for Redis's answer unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The one action that changes nothing, so that its failure is a plain failure, not an unknown outcome. */
    private static final String READING = "reading";

    private final RedisKeyspace keyspace;
    private final BoundedScripts scripts;
    private final Duration timeout;

    /** A store whose calls wait at most {@link #DEFAULT_TIMEOUT} for Redis. */
    public RedisCounterStore(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace) {
        this(connectionFactory, keyspace, DEFAULT_TIMEOUT);
    }

    /**
     * @param timeout how long one call waits for Redis's answer ({@code ringlock.counter.timeout}); positive
     */
    public RedisCounterStore(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace, Duration timeout) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("'ringlock.counter.timeout' must be positive, was " + timeout);
        }
        this.timeout = timeout;
        this.scripts = new BoundedScripts(connectionFactory);
    }

    /** Opens the connection and checks that Redis answers; without it, the first call opens it. */
    @Override
    public void afterPropertiesSet() {
        scripts.connect();
    }

    @Override
    public void destroy() {
        scripts.close();
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    @Override
    public long addAndGet(String name, long delta) {
        String key = keyspace.counterKey(name);
        Long value = answer(name, key, "adding " + delta + " to", delta, () -> scripts.incrementBy(key, delta, timeout));
        if (value == null) {
            throw new IllegalStateException("No reply to INCRBY for counter '" + name + "' on " + backend());
        }
        return value;
    }

    @Override
    public long get(String name) {
        String key = keyspace.counterKey(name);
        String stored = call(RedisCounterScripts.GET, name, key, READING, 0);
        if (stored == null) {
            return 0;
        }
        Long value = CounterValues.parse(stored);
        if (value == null) {
            throw new CounterEncodingException(name, key, "not a decimal long: " + CounterValues.preview(stored));
        }
        return value;
    }

    @Override
    public boolean compareAndSet(String name, long expect, long update) {
        String key = keyspace.counterKey(name);
        Long reply = call(RedisCounterScripts.COMPARE_AND_SET, name, key, "compare-and-set of", 0,
                Long.toString(expect), Long.toString(update));
        if (reply == null || reply < -1 || reply > 1) {
            throw new IllegalStateException("Unexpected reply " + reply + " from the compare-and-set script for counter '"
                    + name + "' on " + backend());
        }
        if (reply == -1) {
            throw new CounterEncodingException(name, key, "not a decimal long");
        }
        return reply == 1;
    }

    @Override
    public void set(String name, long value) {
        String key = keyspace.counterKey(name);
        call(RedisCounterScripts.SET, name, key, "setting", 0, Long.toString(value));
    }

    @Override
    public void delete(String name) {
        String key = keyspace.counterKey(name);
        call(RedisCounterScripts.DELETE, name, key, "deleting", 0);
    }

    /** Runs {@code script} on the counter's key, waiting at most the store's timeout for the answer. */
    private <T> @Nullable T call(RedisScript<T> script, String name, String key, String action, long delta,
            String... args) {
        return answer(name, key, action, delta, () -> scripts.call(script, List.of(key), List.of(args), timeout));
    }

    /** The answer of {@code request} on the counter's key, Redis's failures made what they mean for the counter. */
    private <T> @Nullable T answer(String name, String key, String action, long delta, Request<T> request) {
        try {
            return request.send();
        }
        catch (DataAccessException ex) {
            throw translate(name, key, action, ex, delta);
        }
        catch (InterruptedException ex) {
            // the counter API is not interruptible: keep the interrupt for the caller, and say what it cost
            Thread.currentThread().interrupt();
            throw action.equals(READING) ? new CounterBackendException(name, backend(), action, ex)
                    : new CounterOutcomeUnknownException(name, backend(), ex);
        }
    }

    /** One bounded request to Redis. */
    @FunctionalInterface
    private interface Request<T> {
        @Nullable T send() throws InterruptedException;
    }

    /**
     * Redis's own refusals become what they mean; anything else is a failure of the backend, and for an update
     * an unknown outcome: the command may have reached Redis before the connection failed (and Lettuce may
     * send a command again after reconnecting), and Redis keeps nothing to ask whether it was applied.
     */
    private RuntimeException translate(String name, String key, String action, DataAccessException ex, long delta) {
        RuntimeException refusal = refusal(name, key, ex, delta);
        if (refusal != null) {
            return refusal;
        }
        if (action.equals(READING)) {
            return new CounterBackendException(name, backend(), action, ex);
        }
        return new CounterOutcomeUnknownException(name, backend(), ex);
    }

    private static @Nullable RuntimeException refusal(String name, String key, DataAccessException ex, long delta) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("increment or decrement would overflow")) {
                ArithmeticException overflow = CounterNames.overflow(name, "adding " + delta);
                overflow.initCause(ex);
                return overflow;
            }
            if (message.contains("not an integer or out of range")) {
                return new CounterEncodingException(name, key, "not a decimal long (" + message + ")");
            }
            if (message.contains("WRONGTYPE")) {
                return new CounterEncodingException(name, key, "not a string (" + message + ")");
            }
        }
        return null;
    }
}
