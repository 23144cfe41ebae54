package dev.ringlock.bench.counter;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.Clients;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.DefaultCounterTemplate;
import dev.ringlock.counter.Sequence;
import dev.ringlock.redis.RedisCounterStore;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.zookeeper.ZooKeeperCounterStore;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The counter contenders by the names the benchmarks' {@code impl} parameter uses, each on one counter that
 * all threads share, with its library's defaults.
 */
final class Counters {

    private Counters() {
    }

    static Counter create(String impl, String name) {
        return switch (impl) {
            case "ringlock" -> ringlockRedis(name);
            case "raw-incr" -> rawIncr(name);
            case "redisson-atomiclong" -> redisson(name);
            case "ringlock-zk" -> ringlockZooKeeper(name);
            case "curator-dal" -> distributedAtomicLong(name);
            case "curator-sharedcount" -> sharedCount(name);
            case "ringlock-sequence" -> ringlockSequence(name);
            default -> throw new IllegalArgumentException("Unknown counter contender '" + impl + "'");
        };
    }

    /** Ours on Redis: {@code CounterTemplate.incrementAndGet}. */
    private static Counter ringlockRedis(String name) {
        LettuceConnectionFactory factory = Clients.springRedis();
        CounterTemplate counters = ringlockRedisTemplate(factory, null);
        return counter(() -> counters.incrementAndGet(name), factory::destroy);
    }

    /**
     * Ours: {@code Sequence.next()} with blocks of 1,000 and background prefetch on (the default), the
     * prefetch executor built as the auto-configuration builds it: at most two threads, no queue.
     */
    private static Counter ringlockSequence(String name) {
        LettuceConnectionFactory factory = Clients.springRedis();
        ThreadPoolExecutor prefetch = new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS, new SynchronousQueue<>());
        Sequence sequence = ringlockRedisTemplate(factory, prefetch).sequence(name, 1_000);
        return counter(sequence::next, () -> {
            prefetch.shutdownNow();
            factory.destroy();
        });
    }

    /** The template as the auto-configuration builds it on Redis, under the default key prefix. */
    private static CounterTemplate ringlockRedisTemplate(LettuceConnectionFactory factory, ThreadPoolExecutor prefetch) {
        return new DefaultCounterTemplate(new RedisCounterStore(factory, new RedisKeyspace("ringlock")), prefetch);
    }

    /** The floor: {@code INCR} on one shared Lettuce connection. */
    private static Counter rawIncr(String name) {
        RedisClient client = Clients.lettuce();
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisCommands<String, String> redis = connection.sync();
        String key = "raw:counter:" + name;
        return counter(() -> redis.incr(key), () -> {
            connection.close();
            client.shutdown();
        });
    }

    /** Redisson's {@code RAtomicLong}. */
    private static Counter redisson(String name) {
        RedissonClient redisson = Clients.redisson();
        RAtomicLong counter = redisson.getAtomicLong("redisson:counter:" + name);
        return counter(counter::incrementAndGet, redisson::shutdown);
    }

    /** Ours on ZooKeeper: {@code CounterTemplate.incrementAndGet} (versioned {@code setData}, jittered retries). */
    private static Counter ringlockZooKeeper(String name) {
        CuratorFramework client = Clients.curator();
        CounterTemplate counters = new DefaultCounterTemplate(
                new ZooKeeperCounterStore(client, new ZooKeeperPaths("ringlock"), java.time.Duration.ofSeconds(10)), null);
        return counter(() -> counters.incrementAndGet(name), client::close);
    }

    /**
     * Curator's {@code DistributedAtomicLong} (optimistic mode) with an exponential back-off between
     * compare-and-swap tries (1 ms base, at most 20 tries); a call that still fails is tried again, as an
     * application that needs the increment would.
     */
    private static Counter distributedAtomicLong(String name) {
        CuratorFramework client = Clients.curator();
        DistributedAtomicLong counter = new DistributedAtomicLong(client, "/curator/counters/" + name,
                new ExponentialBackoffRetry(1, 20, 100));
        return counter(() -> incrementUntilDone(counter), client::close);
    }

    private static long incrementUntilDone(DistributedAtomicLong counter) throws Exception {
        while (true) {
            AtomicValue<Long> result = counter.increment();
            if (result.succeeded()) {
                return result.postValue();
            }
        }
    }

    /**
     * Curator's {@code SharedCount}: read the cached versioned value, {@code trySetCount} it plus one, again
     * on a lost race.
     */
    private static Counter sharedCount(String name) {
        CuratorFramework client = Clients.curator();
        SharedCount counter = new SharedCount(client, "/curator/shared-counts/" + name, 0);
        try {
            counter.start();
        }
        catch (Exception ex) {
            client.close();
            throw new IllegalStateException("SharedCount did not start", ex);
        }
        return counter(() -> incrementUntilSet(counter), () -> {
            counter.close();
            client.close();
        });
    }

    private static long incrementUntilSet(SharedCount counter) throws Exception {
        while (true) {
            VersionedValue<Integer> current = counter.getVersionedValue();
            int next = current.getValue() + 1;
            if (counter.trySetCount(current, next)) {
                return next;
            }
        }
    }

    /** One operation the benchmarks time. */
    @FunctionalInterface
    private interface Increment {

        long incrementAndGet() throws Exception;
    }

    /**
     * A contender from its timed operation and its clean-up, which is all that differs between them. Each
     * benchmark fork uses one contender, so the extra call through {@code increment} is monomorphic and inlined.
     */
    private static Counter counter(Increment increment, AutoCloseable cleanUp) {
        return new Counter() {
            @Override
            public long incrementAndGet() throws Exception {
                return increment.incrementAndGet();
            }

            @Override
            public void close() throws Exception {
                cleanUp.close();
            }
        };
    }
}
