package dev.ringlock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLockProvider;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryNTimes;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A lock holder in a JVM of its own, driven by {@link FrozenHolderProcess}: the tests freeze this process with
 * SIGSTOP and thaw it. Arguments: {@code redis <host:port>} or {@code zookeeper <connect string>}, key prefix,
 * lock key, lease (Redis) or session timeout (ZooKeeper) in ms, and the Redis {@code host:port} and key of the
 * fenced resource ({@link FencedRedisResource}). Commands, one per line on stdin; each answer is one line on
 * stdout starting with {@value #ANSWER} (log lines go to stdout too):
 * <ul>
 * <li>{@code acquire}: takes the lock; answers {@code acquired <token>};</li>
 * <li>{@code write}: checks {@code isValid()} and then writes to the fenced resource anyway, as a holder that
 * does not check would; answers {@code valid=<bool> lost=<loss events so far> write=<accepted|rejected>};</li>
 * <li>{@code status}: answers {@code valid=<bool> lost=<loss events so far>};</li>
 * <li>{@code exit}: releases the lock, closes everything, answers {@code bye} and ends.</li>
 * </ul>
 */
public final class FrozenHolderMain {

    static final String ANSWER = "@@ ";

    private FrozenHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        String address = args[1];
        String prefix = args[2];
        String key = args[3];
        long leaseOrSessionMillis = Long.parseLong(args[4]);
        String[] resourceAddress = args[5].split(":");
        String resourceKey = args[6];

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger losses = new AtomicInteger();
        LockLossListener listener = event -> losses.incrementAndGet();
        LockProvider provider;
        AutoCloseable client;
        if (backend.equals("redis")) {
            String[] hostPort = address.split(":");
            LettuceConnectionFactory factory = TestClients.redis(hostPort[0], Integer.parseInt(hostPort[1]));
            RedisLockProvider redisProvider = new RedisLockProvider(factory, new RedisKeyspace(prefix), scheduler,
                    listener, Duration.ofMillis(200));
            redisProvider.afterPropertiesSet();
            provider = redisProvider;
            client = () -> {
                redisProvider.destroy();
                factory.destroy();
            };
        }
        else {
            CuratorFramework curator = TestClients.zookeeper(address, (int) leaseOrSessionMillis, new RetryNTimes(3, 100));
            ZooKeeperLockProvider zooKeeperProvider = new ZooKeeperLockProvider(curator, new ZooKeeperPaths(prefix),
                    scheduler, listener);
            zooKeeperProvider.afterPropertiesSet();
            provider = zooKeeperProvider;
            client = () -> {
                zooKeeperProvider.destroy();
                curator.close();
            };
        }
        DefaultLockTemplate template = new DefaultLockTemplate(provider, Duration.ofMillis(leaseOrSessionMillis),
                LockLostPolicy.THROW);
        LettuceConnectionFactory resourceFactory = TestClients.redis(resourceAddress[0],
                Integer.parseInt(resourceAddress[1]));
        StringRedisTemplate resource = new StringRedisTemplate(resourceFactory);
        LockHandle handle = null;
        answer("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "acquire" -> {
                    handle = template.acquire(key, Duration.ofSeconds(10));
                    answer("acquired " + handle.fencingToken());
                }
                case "write" -> {
                    // read validity first: right after a thaw, before the watchdog has had a chance to run
                    boolean valid = handle.isValid();
                    int lost = losses.get();
                    boolean accepted = FencedRedisResource.write(resource, resourceKey, handle.fencingToken(),
                            "written by the holder in the other JVM");
                    answer("valid=" + valid + " lost=" + lost + " write=" + (accepted ? "accepted" : "rejected"));
                }
                case "status" -> answer("valid=" + handle.isValid() + " lost=" + losses.get());
                case "exit" -> {
                    if (handle != null) {
                        handle.close();
                    }
                    client.close();
                    resourceFactory.destroy();
                    scheduler.shutdownNow();
                    answer("bye");
                    return;
                }
                default -> answer("unknown command " + line);
            }
        }
    }

    static void answer(String text) {
        System.out.println(ANSWER + text);
        System.out.flush();
    }
}
