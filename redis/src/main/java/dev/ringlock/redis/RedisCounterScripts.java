package dev.ringlock.redis;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The counter's Lua script, read once from beside this class and kept as text (see {@link LuaScripts}).
 */
final class RedisCounterScripts {

    static final RedisScript<Long> COMPARE_AND_SET = LuaScripts.load("counter-compare-and-set.lua", Long.class);

    private RedisCounterScripts() {
    }
}
