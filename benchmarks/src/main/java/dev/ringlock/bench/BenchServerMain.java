package dev.ringlock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;

import dev.ringlock.testsupport.FreePorts;
import dev.ringlock.testsupport.RedisSentinelServers;
import dev.ringlock.testsupport.RedisServerProcess;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;

/**
 * {@code run.sh}'s helper: {@code redis} starts a {@code redis-server} process through the test-support
 * helper (the Redis 6.2 binary of embedded-redis, or {@code $RINGLOCK_REDIS_SERVER}), prints its port and
 * keeps it running until this JVM is stopped ({@code run.sh} sends SIGTERM on exit; the helper's shutdown
 * hook then kills the server); {@code redis-sentinel} starts test-support's Sentinel set-up (master, 1 replica,
 * 3 Sentinels), once the replica is in sync prints {@code <masterName> <sentinel host:port,...>} and keeps it
 * running the same way; {@code free-port} prints a free
 * loopback port (for the ZooKeeper server); {@code redis-version} prints the version of that binary;
 * {@code zookeeper-warm-up} runs lock and counter requests against the ZooKeeper server for a while.
 */
public final class BenchServerMain {

    private static final long ZOOKEEPER_WARM_UP_MILLIS = 15_000;

    private BenchServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        switch (command) {
            case "redis" -> runRedis();
            case "redis-sentinel" -> runRedisSentinel();
            case "free-port" -> System.out.println(FreePorts.next());
            case "redis-version" -> System.out.println(redisVersion());
            case "zookeeper-warm-up" -> warmUpZooKeeper();
            default -> {
                System.err.println("usage: BenchServerMain redis | redis-sentinel | free-port | redis-version | zookeeper-warm-up");
                System.exit(2);
            }
        }
    }

    private static void runRedis() throws InterruptedException {
        RedisServerProcess server = RedisServerProcess.start();
        System.out.println(server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** {@link RedisSentinelServers#start()} returns once the Sentinels know the replica and the replica is in sync. */
    private static void runRedisSentinel() throws InterruptedException {
        RedisSentinelServers servers = RedisSentinelServers.start();
        System.out.println(RedisSentinelServers.MASTER_NAME + " " + servers.sentinelNodes());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /**
     * The ZooKeeper server is a JVM, started cold by {@code run.sh}: whichever contender ran first against it paid
     * for its JIT warm-up (ours, declared first, measured 0.7× then 1.0× {@code InterProcessMutex} in two forks
     * of the same run). So before any benchmark, 4 threads send the requests the lock and counter benchmarks
     * send (protected sequential ephemeral creates, {@code getChildren}, deletes; versioned {@code setData}) for
     * {@link #ZOOKEEPER_WARM_UP_MILLIS}, through a client of no contender.
     */
    private static void warmUpZooKeeper() throws Exception {
        try (CuratorFramework client = Clients.curator()) {
            long end = System.currentTimeMillis() + ZOOKEEPER_WARM_UP_MILLIS;
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String dir = "/bench-warm-up/" + t;
                done.add(threads.submit(() -> {
                    client.create().orSetData().creatingParentContainersIfNeeded().forPath(dir + "-counter", new byte[8]);
                    while (System.currentTimeMillis() < end) {
                        String node = client.create().creatingParentContainersIfNeeded().withProtection()
                                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(dir + "/lock-");
                        client.getChildren().forPath(dir);
                        client.delete().guaranteed().forPath(node);
                        Stat stat = new Stat();
                        client.getData().storingStatIn(stat).forPath(dir + "-counter");
                        client.setData().withVersion(stat.getVersion()).forPath(dir + "-counter", new byte[8]);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            threads.shutdown();
        }
    }

    private static String redisVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(RedisServerProcess.binary().toString(), "--version").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher version = Pattern.compile("v=(\\S+)").matcher(output);
        return version.find() ? version.group(1) : output.trim();
    }
}
