package dev.ringlock.redis;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The counter's Lua scripts, read once from beside this class and kept as text (see {@link LuaScripts}).
 * <p>
 * Even the one-command operations are scripts: every counter call then goes through {@link BoundedScripts},
 * the one path to Redis whose calls are bounded in time (see there), and each is still one round trip and one
 * atomic step on the server.
 */
final class RedisCounterScripts {

    static final RedisScript<String> ADD = LuaScripts.load("counter-add.lua", String.class);

    static final RedisScript<String> GET = LuaScripts.load("counter-get.lua", String.class);

    static final RedisScript<Long> SET = LuaScripts.load("counter-set.lua", Long.class);

    static final RedisScript<Long> DELETE = LuaScripts.load("counter-delete.lua", Long.class);

    static final RedisScript<Long> COMPARE_AND_SET = LuaScripts.load("counter-compare-and-set.lua", Long.class);

    private RedisCounterScripts() {
    }
}
