package dev.ringlock.autoconfigure.health;

import dev.ringlock.autoconfigure.BackendSelection;
import dev.ringlock.autoconfigure.ZooKeeperClientAutoConfiguration;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health contributor {@code zookeeper} ({@code /actuator/health/zookeeper}): the state of the
 * {@link CuratorFramework} that Ringlock uses, when Spring Boot's health support is present. Turned off with
 * {@code management.health.zookeeper.enabled=false}. Redis health comes from Spring Boot itself.
 */
@AutoConfiguration(after = ZooKeeperClientAutoConfiguration.class)
@ConditionalOnClass(name = {BackendSelection.CURATOR_FRAMEWORK, BackendSelection.RINGLOCK_ZOOKEEPER,
        "org.springframework.boot.health.contributor.HealthIndicator"})
public final class ZooKeeperHealthContributorAutoConfiguration {

    /** Nested, so the health condition's class is only loaded once the health module is known to be there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSingleCandidate(CuratorFramework.class)
    @ConditionalOnEnabledHealthIndicator("zookeeper")
    static class ZooKeeperHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "zookeeperHealthIndicator")
        ZooKeeperHealthIndicator zookeeperHealthIndicator(CuratorFramework client) {
            return new ZooKeeperHealthIndicator(client);
        }
    }
}
