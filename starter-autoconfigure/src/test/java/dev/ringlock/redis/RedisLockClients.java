package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.TestClients;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostPolicy;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The lock clients of a fault or load test: each one a {@link RedisLockProvider} on a connection factory of
 * its own, as a separate process would have, with the losses it reported. Closes them all at the end.
 */
final class RedisLockClients implements AutoCloseable {

    /** A loss the client reported, and when (by {@link System#nanoTime()}). */
    record Loss(LockLostEvent event, long atNanos) {
    }

    /** One client: its provider, a template with the test's lease, and the losses it reported. */
    record Client(RedisLockProvider provider, DefaultLockTemplate template, List<Loss> losses) {
    }

    private final RedisKeyspace keyspace;
    private final ScheduledExecutorService scheduler;
    private final Duration leaseTime;
    private final Duration pollInterval;
    private final LettuceClientConfiguration clientConfiguration;
    private final List<Runnable> closers = new CopyOnWriteArrayList<>();

    RedisLockClients(RedisKeyspace keyspace, ScheduledExecutorService scheduler, Duration leaseTime,
            Duration pollInterval, LettuceClientConfiguration clientConfiguration) {
        this.keyspace = keyspace;
        this.clientConfiguration = clientConfiguration;
        this.scheduler = scheduler;
        this.leaseTime = leaseTime;
        this.pollInterval = pollInterval;
    }

    /** A client connected to {@code host}:{@code port} (the server, or a fault proxy in front of it). */
    Client connect(String host, int port) {
        LettuceConnectionFactory factory = TestClients.redis(host, port, clientConfiguration);
        List<Loss> losses = new CopyOnWriteArrayList<>();
        RedisLockProvider provider = new RedisLockProvider(factory, keyspace, scheduler,
                event -> losses.add(new Loss(event, System.nanoTime())), pollInterval);
        provider.afterPropertiesSet();
        closers.add(() -> {
            try {
                provider.destroy();
            }
            catch (Exception ignore) {
                // the test is over; the factory's close below ends the subscription anyway
            }
            factory.destroy();
        });
        return new Client(provider, new DefaultLockTemplate(provider, leaseTime, LockLostPolicy.THROW), losses);
    }

    @Override
    public void close() {
        closers.forEach(Runnable::run);
        closers.clear();
    }
}
