package dev.ringlock;

import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A resource shared by processes that checks fencing tokens: a Redis hash, written only by a script that
 * refuses a token older than the newest it accepted. Stands for the database row of the README's example.
 */
public final class FencedRedisResource {

    private static final RedisScript<Long> WRITE = new DefaultRedisScript<>("""
            local newest = tonumber(redis.call('hget', KEYS[1], 'token') or '0')
            if tonumber(ARGV[1]) < newest then
                return 0
            end
            redis.call('hset', KEYS[1], 'token', ARGV[1], 'value', ARGV[2])
            return 1
            """, Long.class);

    private FencedRedisResource() {
    }

    /** Writes {@code value} under {@code token}; false if the resource refused the token as stale. */
    public static boolean write(StringRedisTemplate redis, String key, long token, String value) {
        Long accepted = redis.execute(WRITE, List.of(key), Long.toString(token), value);
        return accepted != null && accepted == 1L;
    }

    /** The value of the newest accepted write. */
    public static String value(StringRedisTemplate redis, String key) {
        return (String) redis.opsForHash().get(key, "value");
    }
}
