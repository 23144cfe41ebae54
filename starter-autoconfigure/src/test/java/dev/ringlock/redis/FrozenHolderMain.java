package dev.ringlock.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.TestClients;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A lock holder in a JVM of its own, for {@link RedisFrozenHolderProcessTest}: the test freezes this process
 * with SIGSTOP and thaws it. Arguments: Redis host, port, key prefix, lock key, lease in ms, resource key.
 * Commands, one per line on stdin; each answer is one line on stdout starting with {@value #ANSWER} (log lines
 * go to stdout too):
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
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        RedisKeyspace keyspace = new RedisKeyspace(args[2]);
        String key = args[3];
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        String resourceKey = args[5];

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        LettuceConnectionFactory factory = TestClients.redis(host, port);
        AtomicInteger losses = new AtomicInteger();
        RedisLockProvider provider = new RedisLockProvider(factory, keyspace, scheduler,
                event -> losses.incrementAndGet(), Duration.ofMillis(200));
        provider.afterPropertiesSet();
        DefaultLockTemplate template = new DefaultLockTemplate(provider, lease, LockLostPolicy.THROW);
        StringRedisTemplate redis = new StringRedisTemplate(factory);
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
                    boolean accepted = FencedRedisResource.write(redis, resourceKey, handle.fencingToken(),
                            "written by the holder in the other JVM");
                    answer("valid=" + valid + " lost=" + lost + " write=" + (accepted ? "accepted" : "rejected"));
                }
                case "status" -> answer("valid=" + handle.isValid() + " lost=" + losses.get());
                case "exit" -> {
                    if (handle != null) {
                        handle.close();
                    }
                    provider.destroy();
                    factory.destroy();
                    scheduler.shutdownNow();
                    answer("bye");
                    return;
                }
                default -> answer("unknown command " + line);
            }
        }
    }

    private static void answer(String text) {
        System.out.println(ANSWER + text);
        System.out.flush();
    }
}
