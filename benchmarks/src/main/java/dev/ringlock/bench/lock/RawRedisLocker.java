package dev.ringlock.bench.lock;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringlock.bench.Clients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The floor: what a hand-written Redis lock costs at the least. {@code SET key token NX PX lease}, then a
 * compare-and-delete script, on one shared Lettuce connection: two round trips. No fencing token, no lease
 * renewal, no wake-up: a waiter retries the {@code SET} at once (it spins), which makes its hand-over the
 * fastest possible, at the price of flooding Redis while it waits.
 */
final class RawRedisLocker implements Locker {

    private static final String COMPARE_AND_DELETE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisClient client = Clients.lettuce();
    private final StatefulRedisConnection<String, String> connection = client.connect();
    private final RedisCommands<String, String> redis = connection.sync();
    private final String ownerPrefix = UUID.randomUUID() + ":";
    private final AtomicLong ownerSequence = new AtomicLong();
    private final SetArgs setArgs = SetArgs.Builder.nx().px(LockWaits.LEASE.toMillis());
    private final String releaseSha = redis.scriptLoad(COMPARE_AND_DELETE);

    @Override
    public Object lock(String key) {
        String owner = ownerPrefix + ownerSequence.incrementAndGet();
        while (!"OK".equals(redis.set(key, owner, setArgs))) {
            // spin: the floor of hand-over latency
            Thread.onSpinWait();
        }
        return new String[] {key, owner};
    }

    @Override
    public void unlock(Object held) {
        String[] lock = (String[]) held;
        redis.evalsha(releaseSha, ScriptOutputType.INTEGER, new String[] {lock[0]}, lock[1]);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
