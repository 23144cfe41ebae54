package dev.ringlock.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * The lock's Lua scripts, read once from beside this class. Spring Data Redis runs them with
 * {@code EVALSHA} and falls back to {@code EVAL} once when the server does not know them yet (after a
 * restart, say).
 * <p>
 * The scripts are kept as text, not as resources: a resource-backed script asks its resource for its
 * modification time on every call (to reload a changed file), which inside a jar costs more than the round
 * trip to Redis.
 */
final class RedisLockScripts {

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final RedisScript<List<Long>> ACQUIRE = (RedisScript) script("lock-acquire.lua", List.class);

    static final RedisScript<Long> RELEASE = script("lock-release.lua", Long.class);

    static final RedisScript<Long> RENEW = script("lock-renew.lua", Long.class);

    private RedisLockScripts() {
    }

    private static <T> RedisScript<T> script(String name, Class<T> resultType) {
        ClassPathResource resource = new ClassPathResource(name, RedisLockScripts.class);
        try (InputStream in = resource.getInputStream()) {
            return new DefaultRedisScript<>(StreamUtils.copyToString(in, StandardCharsets.UTF_8), resultType);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the Lua script " + resource, ex);
        }
    }
}
