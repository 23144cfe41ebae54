package dev.ringlock.redis;

import org.springframework.data.redis.core.script.RedisScript;

/** The leader election's Lua scripts, loaded once. */
final class RedisLeaderScripts {

    static final RedisScript<String> ACQUIRE = LuaScripts.load("leader-acquire.lua", String.class);

    static final RedisScript<Long> RENEW = LuaScripts.load("leader-renew.lua", Long.class);

    static final RedisScript<Long> RELEASE = LuaScripts.load("leader-release.lua", Long.class);

    private RedisLeaderScripts() {
    }
}
