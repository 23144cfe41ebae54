package dev.ringlock.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Scripts through {@link StringRedisTemplate}, synchronously: for clients other than Lettuce (Jedis), whose
 * calls are bounded by the client's own timeout only.
 */
final class TemplateScriptChannel implements ScriptChannel {

    private final StringRedisTemplate redis;

    TemplateScriptChannel(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public void connect() {
        redis.execute(connection -> connection.ping(), true);
    }

    @Override
    public boolean blocksCaller() {
        return true;
    }

    @Override
    public <T> CompletableFuture<@Nullable T> send(RedisScript<T> script, List<String> keys, List<String> args) {
        try {
            return CompletableFuture.completedFuture(redis.execute(script, keys, args.toArray()));
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    @Override
    public CompletableFuture<@Nullable Long> incrementBy(String key, long delta) {
        try {
            return CompletableFuture.completedFuture(redis.opsForValue().increment(key, delta));
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    @Override
    public void close() {
        // the template holds no connection of its own
    }
}
