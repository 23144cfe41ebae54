package dev.ringlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

import dev.ringlock.testsupport.TestClients;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostPolicy;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The lock clients of a fault or load test: each one a {@link RedisLockProvider} on a connection factory of
 * its own, as a separate process would have, with the losses it reported. Closes them all at the end.
 * <p>
 * Lettuce's reconnect backoff grows to 30 s by default, so after a fault a client could take that long to
 * notice that the server is back; these clients retry every 100 ms, which keeps the tests fast.
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
    private final ClientResources resources;
    private final LettuceClientConfiguration clientConfiguration;
    private final List<AutoCloseable> closers = new CopyOnWriteArrayList<>();

    RedisLockClients(RedisKeyspace keyspace, ScheduledExecutorService scheduler, Duration leaseTime,
            Duration pollInterval) {
        this.keyspace = keyspace;
        this.scheduler = scheduler;
        this.leaseTime = leaseTime;
        this.pollInterval = pollInterval;
        this.resources = DefaultClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
        this.clientConfiguration = LettuceClientConfiguration.builder().clientResources(resources).build();
    }

    /** A started connection factory to {@code host}:{@code port}, destroyed by {@link #close()}. */
    LettuceConnectionFactory connectionFactory(String host, int port) {
        LettuceConnectionFactory factory = TestClients.redis(host, port, clientConfiguration);
        closers.add(factory::destroy);
        return factory;
    }

    /** A client connected to {@code host}:{@code port} (the server, or a fault proxy in front of it). */
    Client connect(String host, int port) {
        return connect(host, port, RedisReplicaAcknowledgement.none());
    }

    /** A client connected to {@code host}:{@code port} whose writes {@code acknowledgement} replicas must confirm. */
    Client connect(String host, int port, RedisReplicaAcknowledgement acknowledgement) {
        LettuceConnectionFactory factory = connectionFactory(host, port);
        List<Loss> losses = new CopyOnWriteArrayList<>();
        RedisLockProvider provider = new RedisLockProvider(factory, keyspace, scheduler,
                event -> losses.add(new Loss(event, System.nanoTime())), pollInterval);
        provider.setReplicaAcknowledgement(acknowledgement);
        provider.afterPropertiesSet();
        closers.add(provider::destroy);
        return new Client(provider, new DefaultLockTemplate(provider, leaseTime, LockLostPolicy.THROW), losses);
    }

    @Override
    public void close() {
        // newest first: each provider before its connection factory
        for (int i = closers.size() - 1; i >= 0; i--) {
            try {
                closers.get(i).close();
            }
            catch (Exception ignore) {
                // the test is over; what could not be closed goes with the JVM
            }
        }
        closers.clear();
        resources.shutdown();
    }
}
