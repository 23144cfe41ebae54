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
import dev.ringlock.lock.LockTemplate;
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
 * lock key, lease (Redis) or session timeout (ZooKeeper) in ms, and, optionally, the Redis {@code host:port} and
 * key of the fenced resource ({@link FencedRedisResource}). Commands, one per line on stdin; each answer is one
 * line on stdout starting with {@value #ANSWER} (log lines go to stdout too):
 * <ul>
 * <li>{@code acquire}: takes the (exclusive, WRITE) lock; {@code acquire read}: a READ lock; {@code acquire permit
 * <N>}: one of N permits; each answers {@code acquired <token>}, or {@code failed <exception>};</li>
 * <li>{@code write}: checks {@code isValid()} and then writes to the fenced resource anyway, as a holder that
 * does not check would; answers {@code valid=<bool> lost=<loss events so far> write=<accepted|rejected>} (only
 * when started with a resource);</li>
 * <li>{@code status}: answers {@code valid=<bool> lost=<loss events so far>};</li>
 * <li>{@code exit}: releases the lock, closes everything, answers {@code bye} and ends.</li>
 * </ul>
 */
public final class FrozenHolderMain {

    static final String ANSWER = "@@ ";

    private static final String PERMIT = "acquire permit ";

    private FrozenHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        String address = args[1];
        String prefix = args[2];
        String key = args[3];
        long leaseOrSessionMillis = Long.parseLong(args[4]);
        boolean hasResource = args.length > 5;

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
        LettuceConnectionFactory resourceFactory = hasResource ? redis(args[5]) : null;
        StringRedisTemplate resource = hasResource ? new StringRedisTemplate(resourceFactory) : null;
        String resourceKey = hasResource ? args[6] : null;
        LockHandle handle = null;
        answer("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            switch (command) {
                case "write" -> {
                    if (resource == null) {
                        answer("no resource: started without its address and key");
                        continue;
                    }
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
                    if (resourceFactory != null) {
                        resourceFactory.destroy();
                    }
                    scheduler.shutdownNow();
                    answer("bye");
                    return;
                }
                default -> {
                    try {
                        LockHandle acquired = acquire(template, key, command);
                        if (acquired == null) {
                            answer("unknown command " + line);
                        }
                        else {
                            handle = acquired;
                            answer("acquired " + handle.fencingToken());
                        }
                    }
                    catch (RuntimeException ex) {
                        // answered, so that the test fails at once with the reason instead of waiting for an answer
                        answer("failed " + ex);
                    }
                }
            }
        }
    }

    /** The lock that {@code command} asks for, held; null if it is no {@code acquire} command. */
    private static LockHandle acquire(LockTemplate template, String key, String command) {
        Duration wait = Duration.ofSeconds(10);
        if (command.equals("acquire")) {
            return template.acquire(key, wait);
        }
        if (command.equals("acquire read")) {
            return template.tryAcquireRead(key, wait).orElseThrow();
        }
        if (command.startsWith(PERMIT)) {
            return template.tryAcquirePermit(key, Integer.parseInt(command.substring(PERMIT.length())), wait)
                    .orElseThrow();
        }
        return null;
    }

    private static LettuceConnectionFactory redis(String hostPort) {
        String[] parts = hostPort.split(":");
        return TestClients.redis(parts[0], Integer.parseInt(parts[1]));
    }

    static void answer(String text) {
        System.out.println(ANSWER + text);
        System.out.flush();
    }
}
