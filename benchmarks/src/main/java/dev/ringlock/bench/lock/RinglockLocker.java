package dev.ringlock.bench.lock;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.bench.Clients;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLockProvider;
import dev.ringlock.redis.RedisReplicaAcknowledgement;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Ours: {@link LockTemplate} over a backend's provider, with the defaults of the auto-configuration. Only the
 * client and the provider differ between the backends; the scheduler, the template and the order in which
 * they start and stop are the auto-configuration's for both.
 */
public final class RinglockLocker implements Locker {

    private final AutoCloseable client;
    private final RinglockScheduler scheduler = new RinglockScheduler();
    private final DisposableBean provider;
    private final LockTemplate template;

    /** On the Redis provider, with Spring Data Redis's Lettuce factory. */
    public static RinglockLocker redis() {
        return redis(Clients.springRedis(), RedisReplicaAcknowledgement.none());
    }

    /**
     * On the Redis provider on the Sentinel set-up, each acquisition confirmed by the replicas {@code acknowledgement}
     * asks for ({@code ringlock.redis.replicas.*}), or by none.
     */
    public static RinglockLocker redisSentinel(RedisReplicaAcknowledgement acknowledgement) {
        return redis(Clients.springRedisSentinel(), acknowledgement);
    }

    private static RinglockLocker redis(LettuceConnectionFactory connectionFactory,
            RedisReplicaAcknowledgement acknowledgement) {
        // defaults of ringlock.key-prefix, ringlock.lock.poll-interval, ringlock.lock.lease-time and on-lost
        return new RinglockLocker(connectionFactory::destroy, executor -> {
            RedisLockProvider provider = new RedisLockProvider(connectionFactory, new RedisKeyspace("ringlock"), executor,
                    event -> { }, Duration.ofSeconds(1));
            provider.setReplicaAcknowledgement(acknowledgement);
            return provider;
        });
    }

    /** On the ZooKeeper provider, with a Curator client. */
    public static RinglockLocker zooKeeper() {
        CuratorFramework client = Clients.curator();
        return new RinglockLocker(client::close,
                executor -> new ZooKeeperLockProvider(client, new ZooKeeperPaths("ringlock"), executor, event -> { }));
    }

    /**
     * @param client closed last, after the provider and the scheduler that use it
     * @param newProvider the backend's provider on the scheduler's executor
     */
    private <P extends LockProvider & InitializingBean & DisposableBean> RinglockLocker(AutoCloseable client,
            Function<ScheduledExecutorService, P> newProvider) {
        this.client = client;
        P started = newProvider.apply(scheduler.executor());
        afterPropertiesSet(started);
        provider = started;
        template = new DefaultLockTemplate(started, Duration.ofSeconds(30), LockLostPolicy.THROW);
    }

    /** Both providers' afterPropertiesSet throw nothing checked; InitializingBean's declares Exception. */
    private static void afterPropertiesSet(InitializingBean provider) {
        try {
            provider.afterPropertiesSet();
        }
        catch (RuntimeException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new IllegalStateException("Lock provider did not start", ex);
        }
    }

    /** The template the lock kinds' benchmarks take READ, permit and several-key locks from. */
    public LockTemplate template() {
        return template;
    }

    @Override
    public Object lock(String key) {
        return template.acquire(key, LockWaits.WAIT);
    }

    @Override
    public void unlock(Object held) {
        ((LockHandle) held).close();
    }

    @Override
    public void close() throws Exception {
        provider.destroy();
        scheduler.destroy();
        client.close();
    }
}
