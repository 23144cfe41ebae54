package dev.ringlock.autoconfigure;

import dev.ringlock.lock.HeldLocks;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Locks on ZooKeeper, through the application's (or Ringlock's) {@link CuratorFramework}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.CURATOR_FRAMEWORK, BackendSelection.RINGLOCK_ZOOKEEPER})
@ConditionalOnBackend(feature = LockAutoConfiguration.FEATURE, value = RinglockBackend.ZOOKEEPER)
class ZooKeeperLockConfiguration {

    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    @ConditionalOnSingleCandidate(CuratorFramework.class)
    ZooKeeperLockProvider zooKeeperLockProvider(CuratorFramework client, RinglockProperties properties,
            RinglockScheduler scheduler, LockLossListener lossListener, HeldLocks heldLocks) {
        ZooKeeperClients.startIfLatent(client);
        return new ZooKeeperLockProvider(client, new ZooKeeperPaths(properties.getKeyPrefix()), scheduler.executor(),
                heldLocks.relayingTo(lossListener));
    }
}
