package dev.ringlock.redis;

import java.util.List;
import java.util.Objects;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.counter.CounterNames;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.counter.CounterValues;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Counters on Redis, one string key per counter ({@code <prefix>:counter:{<name>}}) holding the value in
 * decimal, and one round trip per operation: {@code INCRBY} for additions, a Lua script for
 * compare-and-set, {@code GET}, {@code SET} and {@code DEL}.
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
public final class RedisCounterStore implements CounterStore {

    private final RedisKeyspace keyspace;
    private final StringRedisTemplate redis;

    public RedisCounterStore(RedisConnectionFactory connectionFactory, RedisKeyspace keyspace) {
        Objects.requireNonNull(connectionFactory, "connectionFactory");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.redis = new StringRedisTemplate(connectionFactory);
    }

    @Override
    public String backend() {
        return RedisBackend.NAME;
    }

    @Override
    public long addAndGet(String name, long delta) {
        String key = keyspace.counterKey(name);
        Long value;
        try {
            value = redis.opsForValue().increment(key, delta);
        }
        catch (DataAccessException ex) {
            throw translate(name, key, "adding " + delta + " to", ex, delta);
        }
        if (value == null) {
            throw new IllegalStateException("No reply from INCRBY for counter '" + name + "' on redis");
        }
        return value;
    }

    @Override
    public long get(String name) {
        String key = keyspace.counterKey(name);
        String stored;
        try {
            stored = redis.opsForValue().get(key);
        }
        catch (DataAccessException ex) {
            throw translate(name, key, "reading", ex);
        }
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
        Long reply;
        try {
            reply = redis.execute(RedisCounterScripts.COMPARE_AND_SET, List.of(key), Long.toString(expect),
                    Long.toString(update));
        }
        catch (DataAccessException ex) {
            throw translate(name, key, "compare-and-set of", ex);
        }
        if (reply == null || reply < -1 || reply > 1) {
            throw new IllegalStateException("Unexpected reply " + reply + " from the compare-and-set script for counter '"
                    + name + "' on redis");
        }
        if (reply == -1) {
            throw new CounterEncodingException(name, key, "not a decimal long");
        }
        return reply == 1;
    }

    @Override
    public void set(String name, long value) {
        String key = keyspace.counterKey(name);
        try {
            redis.opsForValue().set(key, Long.toString(value));
        }
        catch (DataAccessException ex) {
            throw translate(name, key, "setting", ex);
        }
    }

    @Override
    public void delete(String name) {
        String key = keyspace.counterKey(name);
        try {
            redis.delete(key);
        }
        catch (DataAccessException ex) {
            throw translate(name, key, "deleting", ex);
        }
    }

    /**
     * Redis's own refusals become what they mean; anything else is a failure of the backend, and for an update
     * an unknown outcome: the command may have reached Redis before the connection failed (and Lettuce may
     * send a command again after reconnecting), and Redis keeps nothing to ask whether it was applied.
     */
    private RuntimeException translate(String name, String key, String action, DataAccessException ex) {
        return translate(name, key, action, ex, 0);
    }

    private RuntimeException translate(String name, String key, String action, DataAccessException ex, long delta) {
        RuntimeException refusal = refusal(name, key, ex, delta);
        if (refusal != null) {
            return refusal;
        }
        if (action.equals("reading")) {
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
