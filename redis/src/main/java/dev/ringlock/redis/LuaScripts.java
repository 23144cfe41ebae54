package dev.ringlock.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * Reads the Lua scripts kept beside the classes of this package. Spring Data Redis runs them with
 * {@code EVALSHA} and falls back to {@code EVAL} once when the server does not know them yet (after a
 * restart, say).
 * <p>
 * The scripts are kept as text, not as resources: a resource-backed script asks its resource for its
 * modification time on every call (to reload a changed file), which inside a jar costs more than the round
 * trip to Redis.
 */
final class LuaScripts {

    private LuaScripts() {
    }

    static <T> RedisScript<T> load(String name, Class<T> resultType) {
        ClassPathResource resource = new ClassPathResource(name, LuaScripts.class);
        try (InputStream in = resource.getInputStream()) {
            return new DefaultRedisScript<>(StreamUtils.copyToString(in, StandardCharsets.UTF_8), resultType);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the Lua script " + resource, ex);
        }
    }
}
