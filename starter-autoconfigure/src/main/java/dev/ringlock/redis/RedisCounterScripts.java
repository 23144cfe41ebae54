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
 * The counter's Lua script, read once from beside this class and kept as text, for the reason given on
 * {@link RedisLockScripts}.
 */
final class RedisCounterScripts {

    static final RedisScript<Long> COMPARE_AND_SET = script("counter-compare-and-set.lua");

    private RedisCounterScripts() {
    }

    private static RedisScript<Long> script(String name) {
        ClassPathResource resource = new ClassPathResource(name, RedisCounterScripts.class);
        try (InputStream in = resource.getInputStream()) {
            return new DefaultRedisScript<>(StreamUtils.copyToString(in, StandardCharsets.UTF_8), Long.class);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the Lua script " + resource, ex);
        }
    }
}
