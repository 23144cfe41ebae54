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

    /** The watchdog's batch: {@code lock-renew.lua} for several keys, one answer per key. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final RedisScript<List<Long>> RENEW_MANY = (RedisScript) LuaScripts.load("lock-renew-many.lua", List.class);

    /** READ and permit locks ({@link RedisSharedLocks}). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final RedisScript<List<Long>> SHARED_ACQUIRE = (RedisScript) LuaScripts.load("lock-shared-acquire.lua",
            List.class);

    static final RedisScript<Long> SHARED_RELEASE = LuaScripts.load("lock-shared-release.lua", Long.class);

    static final RedisScript<Long> SHARED_RENEW = LuaScripts.load("lock-shared-renew.lua", Long.class);

    private RedisLockScripts() {
    }
}
