package dev.ringlock.autoconfigure;

import dev.ringlock.counter.CounterStore;
import dev.ringlock.zookeeper.ZooKeeperCounterStore;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counters on ZooKeeper, through the application's (or Ringlock's) {@link CuratorFramework}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {BackendSelection.CURATOR_FRAMEWORK, BackendSelection.RINGLOCK_ZOOKEEPER})
@ConditionalOnBackend(feature = CounterAutoConfiguration.FEATURE, value = RinglockBackend.ZOOKEEPER)
class ZooKeeperCounterConfiguration {

    @Bean
    @ConditionalOnMissingBean(CounterStore.class)
    @ConditionalOnSingleCandidate(CuratorFramework.class)
    ZooKeeperCounterStore zooKeeperCounterStore(CuratorFramework client, RinglockProperties properties) {
        ZooKeeperClients.startIfLatent(client);
        return new ZooKeeperCounterStore(client, new ZooKeeperPaths(properties.getKeyPrefix()),
                properties.getCounter().getMaxRetryTime());
    }
}
