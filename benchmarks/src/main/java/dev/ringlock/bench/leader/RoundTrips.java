package dev.ringlock.bench.leader;

import java.util.Arrays;
import java.util.concurrent.SynchronousQueue;

import dev.ringlock.bench.Clients;
import dev.ringlock.bench.Percentiles;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.apache.curator.framework.CuratorFramework;

/** The floors a hand-over is judged against: a Redis PING, a ZooKeeper {@code exists}, one thread wake-up. */
final class RoundTrips {

    private static final int WARM_UP = 300;
    private static final int SAMPLES = 2_000;

    private RoundTrips() {
    }

    static double redisPingP50Micros() {
        RedisClient client = Clients.lettuce();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return p50Micros(() -> connection.sync().ping());
        }
        finally {
            client.shutdown();
        }
    }

    static double zooKeeperExistsP50Micros() throws Exception {
        try (CuratorFramework client = LeaderRows.curator()) {
            return p50Micros(() -> client.checkExists().forPath("/bench-leader"));
        }
    }

    /** From handing a value to a thread blocked in {@code take()} to that thread running. */
    static double wakeUpP50Micros() throws InterruptedException {
        SynchronousQueue<Long> handOff = new SynchronousQueue<>();
        long[] woke = new long[WARM_UP + SAMPLES];
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
            handOff.put(System.nanoTime());
        }
        waiter.join();
        long[] measured = Arrays.copyOfRange(woke, WARM_UP, woke.length);
        Arrays.sort(measured);
        return Percentiles.of(measured, 0.50) / 1e3;
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static double p50Micros(Call call) {
        long[] samples = new long[SAMPLES];
        try {
            for (int i = 0; i < WARM_UP; i++) {
                call.run();
            }
            for (int i = 0; i < SAMPLES; i++) {
                long start = System.nanoTime();
                call.run();
                samples[i] = System.nanoTime() - start;
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("Round trip failed", ex);
        }
        Arrays.sort(samples);
        return Percentiles.of(samples, 0.50) / 1e3;
    }
}
