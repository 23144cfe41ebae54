package dev.ringlock.redis;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The counter's Lua scripts, read once from beside this class and kept as text (see {@link LuaScripts}).
 * <p>
 * Compare-and-set must be one atomic step, so it is a script; {@code GET}, {@code SET} and {@code DEL} go the
 * same way (one round trip each, as the plain commands would be), so that the channel needs no command of its
 * own for each. Additions are a plain {@code INCRBY} ({@link BoundedScripts#incrementBy}): a script would need a
 * second command to read the result back (a Lua number is a double, which cannot hold every long), and that
 * made an addition measurably slower than {@code INCRBY} under load.
 */
final class RedisCounterScripts {

    static final RedisScript<String> GET = LuaScripts.load("counter-get.lua", String.class);

    static final RedisScript<Long> SET = LuaScripts.load("counter-set.lua", Long.class);

    static final RedisScript<Long> DELETE = LuaScripts.load("counter-delete.lua", Long.class);

    static final RedisScript<Long> COMPARE_AND_SET = LuaScripts.load("counter-compare-and-set.lua", Long.class);

    private RedisCounterScripts() {
    }
}
