package dev.ringlock.redis;

import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The lock's Lua scripts, loaded once from beside this class. Spring Data Redis runs them with
 * {@code EVALSHA} and falls back to {@code EVAL} once when the server does not know them yet (after a
 * restart, say).
 */
final class RedisLockScripts {

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final RedisScript<List<Long>> ACQUIRE = (RedisScript) script("lock-acquire.lua", List.class);

    static final RedisScript<Long> RELEASE = script("lock-release.lua", Long.class);

    static final RedisScript<Long> RENEW = script("lock-renew.lua", Long.class);

    private RedisLockScripts() {
    }

    private static <T> RedisScript<T> script(String name, Class<T> resultType) {
        DefaultRedisScript<T> script = new DefaultRedisScript<>();
        script.setLocation(new ClassPathResource("dev/ringlock/redis/" + name));
        script.setResultType(resultType);
        return script;
    }
}
