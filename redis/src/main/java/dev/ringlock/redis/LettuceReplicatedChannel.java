package dev.ringlock.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Scripts whose writes replicas must confirm: the script and {@code WAIT} (or {@code WAITAOF}) sent back to back,
 * pipelined, on one connection, so that {@code WAIT} counts the replicas that have the script's writes.
 * <p>
 * A connection of its own, opened from the factory's client (same servers, credentials, TLS and options):
 * {@code WAIT} blocks its connection until the replicas answer or the timeout passes, which on the connection the
 * application shares would hold up every other command behind it. On a Cluster, the script and {@code WAIT} go to
 * the master of the key's slot.
 */
final class LettuceReplicatedChannel implements AutoCloseable {

    /** Not in Lettuce's command list (Redis 7.2). */
    private enum Command implements ProtocolKeyword {
        WAITAOF;

        private final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);

        @Override
        public byte[] getBytes() {
            return bytes;
        }
    }

    /** The Cluster's slot map is asked for again after a failure at most this often. */
    private static final long REFRESH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AbstractRedisClient client;
    private final Map<RedisScript<?>, String> shas = new ConcurrentHashMap<>();
    private volatile @Nullable StatefulConnection<byte[], byte[]> connection;
    /** When the Cluster's slot map was last asked for again after a failure ({@link System#nanoTime()}). */
    private final AtomicLong refreshedAt = new AtomicLong(System.nanoTime() - REFRESH_INTERVAL_NANOS);

    LettuceReplicatedChannel(LettuceConnectionFactory connectionFactory) {
        this.client = connectionFactory.getRequiredNativeClient();
    }

    boolean cluster() {
        return client instanceof RedisClusterClient;
    }

    void connect() {
        if (client instanceof RedisClusterClient cluster) {
            connection = cluster.connect(ByteArrayCodec.INSTANCE);
        }
        else if (client instanceof RedisClient redis) {
            connection = redis.connect(ByteArrayCodec.INSTANCE);
        }
        else {
            throw new IllegalStateException("Replica acknowledgement needs a RedisClient or RedisClusterClient, found "
                    + client.getClass().getName());
        }
    }

    /**
     * Runs {@code script}, then waits for {@code replicas} replicas for at most {@code waitMillis}; fails as
     * {@link ScriptChannel#send} does.
     */
    <T> CompletableFuture<Replicated<T>> send(RedisScript<T> script, List<String> keys, List<String> args,
            int replicas, long waitMillis, boolean fsync) {
        CompletableFuture<Replicated<T>> answer = new CompletableFuture<>();
        answer.whenComplete((replicated, failure) -> {
            if (failure != null) {
                refreshSlotsAfterFailure();
            }
        });
        commandsFor(keys.get(0)).whenComplete((async, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(LettuceScriptChannel.translate(failure));
                return;
            }
            ScriptOutputType type = LettuceScriptChannel.outputType(script);
            byte[][] keyBytes = LettuceScriptChannel.bytes(keys);
            byte[][] argBytes = LettuceScriptChannel.bytes(args);
            RedisFuture<T> run = async.evalsha(shas.computeIfAbsent(script, RedisScript::getSha1), type, keyBytes,
                    argBytes);
            CompletableFuture<Long> acknowledged = waitFor(async, replicas, waitMillis, fsync);
            run.whenComplete((value, runFailure) -> {
                if (runFailure != null && LettuceScriptChannel.isNoScript(runFailure)) {
                    // the WAIT above counted nothing of ours: run the script again in full, and wait after it
                    RedisFuture<T> eval = async.eval(script.getScriptAsString(), type, keyBytes, argBytes);
                    CompletableFuture<Long> again = waitFor(async, replicas, waitMillis, fsync);
                    settle(answer, eval.toCompletableFuture(), again);
                }
                else {
                    settle(answer, run.toCompletableFuture(), acknowledged);
                }
            });
        });
        return answer;
    }

    /**
     * On a Cluster, the script and WAIT go to the master the slot map names: after a failover it names the dead
     * master until asked again (MOVED answers alone do not correct it), so a failure asks, at most once a second.
     */
    private void refreshSlotsAfterFailure() {
        if (client instanceof RedisClusterClient cluster) {
            long last = refreshedAt.get();
            long now = System.nanoTime();
            if (now - last >= REFRESH_INTERVAL_NANOS && refreshedAt.compareAndSet(last, now)) {
                cluster.refreshPartitionsAsync();
            }
        }
    }

    /**
     * Runs {@code script} without waiting for replicas, after every write sent here before it: for undoing an
     * acquisition whose answer never came, which must not overtake it.
     */
    <T> CompletableFuture<@Nullable T> sendUnacknowledged(RedisScript<T> script, List<String> keys, List<String> args) {
        return commandsFor(keys.get(0)).thenCompose(async -> LettuceScriptChannel.evaluate(async,
                shas.computeIfAbsent(script, RedisScript::getSha1), script, keys, args));
    }

    @SuppressWarnings("unchecked")
    private static <T> void settle(CompletableFuture<Replicated<T>> answer, CompletableFuture<T> run,
            CompletableFuture<Long> acknowledged) {
        run.thenCombine(acknowledged, (value, count) -> new Replicated<>((T) LettuceScriptChannel.decode(value), count))
                .whenComplete((replicated, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(LettuceScriptChannel.translate(failure));
                    }
                    else {
                        answer.complete(replicated);
                    }
                });
    }

    /** {@code WAIT}, or with fsync {@code WAITAOF 1 replicas timeout}, whose second number counts the replicas. */
    private static CompletableFuture<Long> waitFor(RedisClusterAsyncCommands<byte[], byte[]> async, int replicas,
            long waitMillis, boolean fsync) {
        if (!fsync) {
            return async.waitForReplication(replicas, waitMillis).toCompletableFuture();
        }
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add(1).add(replicas)
                .add(waitMillis);
        return async.dispatch(Command.WAITAOF, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args).toCompletableFuture()
                .thenApply(reply -> {
                    long local = ((Number) reply.get(0)).longValue();
                    // the master's own AOF not fsync'd in time counts as no acknowledgement at all
                    return local < 1 ? 0L : ((Number) reply.get(1)).longValue();
                });
    }

    /** The commands of the connection that holds {@code key}: the only one, or on a Cluster its slot's master. */
    @SuppressWarnings("unchecked")
    private CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> commandsFor(String key) {
        StatefulConnection<byte[], byte[]> open = connection;
        if (open == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Not connected"));
        }
        if (open instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            RedisClusterNode master = cluster.getPartitions()
                    .getMasterBySlot(SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8)));
            if (master == null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "No master known for the slot of key '" + key + "'"));
            }
            return cluster.getConnectionAsync(master.getNodeId())
                    .thenApply(StatefulRedisConnection::async);
        }
        return CompletableFuture.completedFuture(((StatefulRedisConnection<byte[], byte[]>) open).async());
    }

    /**
     * The {@code INFO} section {@code section} of each master (one outside a Cluster), by address; for start-up.
     */
    @SuppressWarnings("unchecked")
    List<MasterInfo> masters(String section) throws InterruptedException, ExecutionException, TimeoutException {
        StatefulConnection<byte[], byte[]> open = connection;
        List<MasterInfo> masters = new ArrayList<>();
        if (open instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            for (RedisClusterNode node : cluster.getPartitions()) {
                // a master without slots (one just made a replica, as gossip may still say) holds no lock
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                    String info = cluster.getConnection(node.getNodeId()).sync().info(section);
                    masters.add(new MasterInfo(node.getUri().getHost() + ":" + node.getUri().getPort(), info));
                }
            }
        }
        else if (open != null) {
            StatefulRedisConnection<byte[], byte[]> single = (StatefulRedisConnection<byte[], byte[]>) open;
            String info = single.async().info(section).get(10, TimeUnit.SECONDS);
            masters.add(new MasterInfo("the master", info));
        }
        return masters;
    }

    /** A master's address and one section of its {@code INFO}. */
    record MasterInfo(String address, String info) {

        /** The value of {@code field} in the section, or null. */
        @Nullable String field(String field) {
            for (String line : info.split("\r?\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
            return null;
        }
    }

    @Override
    public void close() {
        StatefulConnection<byte[], byte[]> open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
    }
}
