package dev.ringlock.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.Clients;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The harness's own look at the server, on a connection of no contender: {@code INFO commandstats} snapshots,
 * and the remaining lease ({@code PTTL}) of every held key. Its own {@code INFO} calls are left out of the counts.
 */
final class RedisCommandStats implements AutoCloseable {

    /** Commands that run a script: what a renewal is, for both contenders. */
    static final Set<String> SCRIPT_COMMANDS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall");

    /** Commands the harness itself sends, not counted against a contender. */
    private static final Set<String> OWN_COMMANDS = Set.of("info", "pttl", "flushall", "hello", "client");

    private final RedisClient client = Clients.lettuce();
    private final StatefulRedisConnection<String, String> connection = client.connect();

    /** Calls per command name since the server started (or {@code CONFIG RESETSTAT}). */
    Map<String, Long> calls() {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : connection.sync().info("commandstats").split("\r?\n")) {
            // cmdstat_evalsha:calls=12,usec=345,usec_per_call=28.75,...
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String fields = line.substring(line.indexOf(':') + 1);
                for (String field : fields.split(",")) {
                    if (field.startsWith("calls=")) {
                        calls.put(name, Long.parseLong(field.substring("calls=".length())));
                    }
                }
            }
        }
        return calls;
    }

    /** Calls of every command between two snapshots, without the harness's own. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((name, calls) -> {
            long d = calls - before.getOrDefault(name, 0L);
            if (d > 0 && !OWN_COMMANDS.contains(name)) {
                delta.put(name, d);
            }
        });
        return delta;
    }

    void flushAll() {
        connection.sync().flushall();
    }

    /** The least remaining lease, in ms, over {@code keys}: negative if one has no TTL (-1) or is gone (-2). */
    long minPttl(List<String> keys) {
        long min = Long.MAX_VALUE;
        // pipelined in chunks: 100,000 PTTLs in a few round trips, without 100,000 futures waiting at once
        int chunk = 5_000;
        for (int from = 0; from < keys.size(); from += chunk) {
            List<RedisFuture<Long>> replies = new ArrayList<>(chunk);
            for (String key : keys.subList(from, Math.min(keys.size(), from + chunk))) {
                replies.add(connection.async().pttl(key));
            }
            if (!LettuceFutures.awaitAll(30, TimeUnit.SECONDS, replies.toArray(RedisFuture[]::new))) {
                throw new IllegalStateException("PTTL of " + replies.size() + " keys not answered in 30 s");
            }
            for (RedisFuture<Long> reply : replies) {
                min = Math.min(min, reply.toCompletableFuture().join());
            }
        }
        return min;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
