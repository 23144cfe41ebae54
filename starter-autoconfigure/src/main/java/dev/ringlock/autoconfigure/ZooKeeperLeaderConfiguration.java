package dev.ringlock.autoconfigure;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.zookeeper.ZooKeeperLeaderElectionProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leader election on ZooKeeper, through the application's (or Ringlock's) {@link CuratorFramework}: candidate
 * nodes under {@code <key-prefix>/leader/<group>} that live with the client's session.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.CURATOR_FRAMEWORK, BackendSelection.RINGLOCK_ZOOKEEPER})
@ConditionalOnBackend(feature = LeaderAutoConfiguration.FEATURE, value = RinglockBackend.ZOOKEEPER)
class ZooKeeperLeaderConfiguration {

    @Bean
    @ConditionalOnMissingBean(LeaderElectionProvider.class)
    @ConditionalOnSingleCandidate(CuratorFramework.class)
    ZooKeeperLeaderElectionProvider zooKeeperLeaderElectionProvider(CuratorFramework client,
            RinglockProperties properties, RinglockScheduler scheduler) {
        ZooKeeperClients.startIfLatent(client);
        return new ZooKeeperLeaderElectionProvider(client, new ZooKeeperPaths(properties.getKeyPrefix()),
                scheduler.executor());
    }
}
