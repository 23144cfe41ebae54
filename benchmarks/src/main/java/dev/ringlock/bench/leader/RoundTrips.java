package dev.ringlock.bench.leader;

import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import dev.ringlock.bench.Clients;
import dev.ringlock.bench.Percentiles;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;

/**
 * The floors a hand-over is judged against: a Redis PING, a ZooKeeper {@code exists}, one thread wake-up. Each
 * is measured twice: back to back (warm), and after idle pauses as long as those before the yield trials, since
 * a client, a server and a thread that have idled for that long take longer to answer than warm ones.
 */
final class RoundTrips {

    /** The steps of {@link #redisYieldChainIdleP50Micros()}, for the report. */
    static final String REDIS_YIELD_CHAIN = "a script deletes and publishes, a subscriber sends `SET NX PX` on another "
            + "connection, its answer goes to another thread";

    /** The steps of {@link #zooKeeperYieldChainIdleP50Micros()}, for the report. */
    static final String ZOOKEEPER_YIELD_CHAIN = "one client deletes its node, the next node's client lists the "
            + "children when the deletion reaches its watcher, the answer goes to another thread";

    private static final int WARM_UP = 300;
    private static final int SAMPLES = 2_000;
    private static final int IDLE_SAMPLES = 15;
    private static final Random PAUSES = new Random(18);

    private RoundTrips() {
    }

    /** The p50 of a Redis PING, warm ({@code [0]}) and after idle pauses ({@code [1]}), in µs. */
    static double[] redisPingP50Micros() throws InterruptedException {
        RedisClient client = Clients.lettuce();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return warmAndIdle(() -> connection.sync().ping());
        }
        finally {
            client.shutdown();
        }
    }

    /**
     * The least a Redis yield can take on plain Lettuce, after idle pauses as long as the trials': a script deletes a
     * key and publishes its release on one connection; a subscriber on a second connection, on Lettuce's thread,
     * sends {@code SET NX PX} on a third; its answer is handed to another thread, as a grant is handed to the
     * application. In µs, p50.
     */
    static double redisYieldChainIdleP50Micros() throws InterruptedException {
        RedisClient client = Clients.lettuce();
        try (StatefulRedisConnection<String, String> yielder = client.connect();
                StatefulRedisConnection<String, String> follower = client.connect();
                StatefulRedisPubSubConnection<String, String> subscription = client.connectPubSub()) {
            ExecutorService granting = Executors.newSingleThreadExecutor();
            BlockingQueue<Long> granted = new LinkedBlockingQueue<>();
            String key = "bench-leader:yield-chain";
            String channel = "bench-leader:released";
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String released) {
                    follower.async().set(key, "follower", SetArgs.Builder.nx().px(3_000))
                            .thenAcceptAsync(ok -> granted.add(System.nanoTime()), granting);
                }
            });
            subscription.sync().subscribe(channel);
            try {
                return p50Micros(() -> {
                    yielder.sync().set(key, "yielder");
                    pause();
                    long start = System.nanoTime();
                    yielder.sync().eval("redis.call('del', KEYS[1]) return redis.call('publish', ARGV[1], KEYS[1])",
                            ScriptOutputType.INTEGER, new String[] { key }, channel);
                    Long at = granted.poll(10, TimeUnit.SECONDS);
                    if (at == null) {
                        throw new IllegalStateException("The yield chain's follower got no grant");
                    }
                    return at - start;
                }, IDLE_SAMPLES);
            }
            finally {
                granting.shutdownNow();
            }
        }
        finally {
            client.shutdown();
        }
    }

    /**
     * The least a ZooKeeper yield can take on plain Curator, after idle pauses as long as the trials': the
     * leader's client deletes its node; the next candidate's client, watching that node, lists the children from
     * ZooKeeper's event thread when the deletion is delivered, and the answer, which shows its own node first, is
     * handed to another thread, as a grant is handed to the application. In µs, p50.
     */
    static double zooKeeperYieldChainIdleP50Micros() throws Exception {
        String parent = "/bench-leader/yield-chain";
        try (CuratorFramework yielder = LeaderRows.curator(); CuratorFramework follower = LeaderRows.curator()) {
            follower.createContainers(parent);
            ExecutorService granting = Executors.newSingleThreadExecutor();
            BlockingQueue<Long> granted = new LinkedBlockingQueue<>();
            try {
                return p50Micros(() -> {
                    String leader = yielder.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(parent + "/n-");
                    String next = follower.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(parent + "/n-");
                    String nextName = ZKPaths.getNodeFromPath(next);
                    Watcher onDeleted = event -> {
                        try {
                            follower.getChildren().inBackground((client, listed) -> {
                                if (Collections.min(listed.getChildren()).equals(nextName)) {
                                    granting.execute(() -> granted.add(System.nanoTime()));
                                }
                            }).forPath(parent);
                        }
                        catch (Exception ex) {
                            throw new IllegalStateException("The yield chain's follower could not list " + parent, ex);
                        }
                    };
                    if (follower.checkExists().usingWatcher(onDeleted).forPath(leader) == null) {
                        throw new IllegalStateException("The yield chain's leader node " + leader + " is gone");
                    }
                    pause();
                    long start = System.nanoTime();
                    yielder.delete().forPath(leader);
                    Long at = granted.poll(10, TimeUnit.SECONDS);
                    follower.delete().forPath(next);
                    if (at == null) {
                        throw new IllegalStateException("The yield chain's follower did not come first in " + parent);
                    }
                    return at - start;
                }, IDLE_SAMPLES);
            }
            finally {
                granting.shutdownNow();
            }
        }
    }

    /** As {@link #redisPingP50Micros()}, for a ZooKeeper {@code exists}. */
    static double[] zooKeeperExistsP50Micros() throws Exception {
        try (CuratorFramework client = LeaderRows.curator()) {
            return warmAndIdle(() -> client.checkExists().forPath("/bench-leader"));
        }
    }

    /**
     * From handing a value to a thread blocked in {@code take()} to that thread running: warm ({@code [0]}) and
     * after idle pauses ({@code [1]}), in µs.
     */
    static double[] wakeUpP50Micros() throws InterruptedException {
        return new double[] { wakeUpP50Micros(WARM_UP + SAMPLES, WARM_UP, false),
                wakeUpP50Micros(IDLE_SAMPLES + 1, 1, true) };
    }

    private static double wakeUpP50Micros(int count, int warmUp, boolean idle) throws InterruptedException {
        SynchronousQueue<Long> handOff = new SynchronousQueue<>();
        long[] woke = new long[count];
        Thread waiter = new Thread(() -> {
            try {
                for (int i = 0; i < woke.length; i++) {
                    long sent = handOff.take();
                    woke[i] = System.nanoTime() - sent;
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        for (int i = 0; i < woke.length; i++) {
            while (waiter.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            if (idle) {
                pause();
            }
            handOff.put(System.nanoTime());
        }
        waiter.join();
        long[] measured = Arrays.copyOfRange(woke, warmUp, woke.length);
        Arrays.sort(measured);
        return Percentiles.of(measured, 0.50) / 1e3;
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** A measurement that times itself. */
    private interface Timed {
        long nanos() throws Exception;
    }

    private static double p50Micros(Timed timed, int count) throws InterruptedException {
        long[] samples = new long[count];
        try {
            for (int i = 0; i < count; i++) {
                samples[i] = timed.nanos();
            }
        }
        catch (InterruptedException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new IllegalStateException("Round trip failed", ex);
        }
        Arrays.sort(samples);
        return Percentiles.of(samples, 0.50) / 1e3;
    }

    private static double[] warmAndIdle(Call call) throws InterruptedException {
        return new double[] { p50Micros(call, SAMPLES, false), p50Micros(call, IDLE_SAMPLES, true) };
    }

    private static double p50Micros(Call call, int count, boolean idle) throws InterruptedException {
        try {
            for (int i = 0; i < WARM_UP; i++) {
                call.run();
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("Round trip failed", ex);
        }
        return p50Micros(() -> {
            if (idle) {
                pause();
            }
            long start = System.nanoTime();
            call.run();
            return System.nanoTime() - start;
        }, count);
    }

    /** As long as the harness waits before a yield trial. */
    private static void pause() throws InterruptedException {
        Thread.sleep(LeaderFailoverBenchmark.YIELD_SETTLE_MILLIS
                + PAUSES.nextLong(LeaderFailoverBenchmark.YIELD_PHASE_SPAN_MILLIS));
    }
}
