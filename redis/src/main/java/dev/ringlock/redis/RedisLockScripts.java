package dev.ringlock.redis;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The lock's Lua scripts.
 */
final class RedisLockScripts {

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final RedisScript<List<Long>> ACQUIRE = (RedisScript) LuaScripts.load("lock-acquire.lua", List.class);

    static final RedisScript<Long> RELEASE = LuaScripts.load("lock-release.lua", Long.class);

    static final RedisScript<Long> RENEW = LuaScripts.load("lock-renew.lua", Long.class);

    private RedisLockScripts() {
    }
}
