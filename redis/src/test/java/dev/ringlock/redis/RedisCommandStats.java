package dev.ringlock.redis;

import java.util.Properties;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The server's own count of the commands it ran ({@code INFO commandstats}), read through a client that sends no
 * scripts itself: evidence from outside the code under test of how many scripts or deletes a step cost.
 */
final class RedisCommandStats {

    private final Properties stats;

    private RedisCommandStats(Properties stats) {
        this.stats = stats;
    }

    /** The counts as the server has them now. */
    static RedisCommandStats of(StringRedisTemplate admin) {
        return new RedisCommandStats(admin.execute(connection -> connection.serverCommands().info("commandstats"),
                true));
    }

    /** Scripts the server ran so far, by hash or by text (the client falls back to the text once per script). */
    static long scriptCalls(StringRedisTemplate admin) {
        return of(admin).scripts();
    }

    /** Scripts in these counts, by hash or by text. */
    long scripts() {
        return calls("evalsha") + calls("eval");
    }

    /** How often the server ran {@code command} (lower case, as {@code INFO} names it). */
    long calls(String command) {
        String line = stats.getProperty("cmdstat_" + command);
        if (line == null) {
            return 0;
        }
        // calls=12,usec=...,usec_per_call=...
        for (String field : line.split(",")) {
            if (field.startsWith("calls=")) {
                return Long.parseLong(field.substring("calls=".length()));
            }
        }
        return 0;
    }
}
