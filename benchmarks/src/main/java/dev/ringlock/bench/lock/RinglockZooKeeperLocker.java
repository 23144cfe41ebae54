package dev.ringlock.bench.lock;

import java.time.Duration;

import dev.ringlock.autoconfigure.RinglockScheduler;
import dev.ringlock.bench.Clients;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;

/** Ours: {@link LockTemplate} over the ZooKeeper provider, with the defaults of the auto-configuration. */
final class RinglockZooKeeperLocker implements Locker {

    private final CuratorFramework client = Clients.curator();
    private final RinglockScheduler scheduler = new RinglockScheduler();
    private final ZooKeeperLockProvider provider;
    private final LockTemplate template;

    RinglockZooKeeperLocker() {
        provider = new ZooKeeperLockProvider(client, new ZooKeeperPaths("ringlock"), scheduler.executor(),
                event -> { });
        provider.afterPropertiesSet();
        template = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
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
