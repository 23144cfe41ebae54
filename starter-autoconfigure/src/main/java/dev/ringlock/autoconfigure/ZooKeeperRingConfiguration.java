package dev.ringlock.autoconfigure;

import dev.ringlock.ring.Membership;
import dev.ringlock.zookeeper.ZooKeeperMembership;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Ring members as ephemeral znodes, through the application's (or Ringlock's) {@link CuratorFramework}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.CURATOR_FRAMEWORK, BackendSelection.RINGLOCK_ZOOKEEPER})
@ConditionalOnBackend(feature = RingAutoConfiguration.FEATURE, value = RinglockBackend.ZOOKEEPER)
class ZooKeeperRingConfiguration {

    @Bean
    @ConditionalOnMissingBean(Membership.class)
    @ConditionalOnSingleCandidate(CuratorFramework.class)
    ZooKeeperMembership zooKeeperMembership(CuratorFramework client, RinglockProperties properties) {
        ZooKeeperClients.startIfLatent(client);
        return new ZooKeeperMembership(client, new ZooKeeperPaths(properties.getKeyPrefix()));
    }
}
