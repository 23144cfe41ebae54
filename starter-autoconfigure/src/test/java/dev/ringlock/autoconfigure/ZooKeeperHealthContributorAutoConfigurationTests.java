package dev.ringlock.autoconfigure;

import java.time.Duration;

import dev.ringlock.autoconfigure.health.ZooKeeperHealthContributorAutoConfiguration;
import dev.ringlock.testsupport.TestServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code zookeeper} health contributor against a real ZooKeeper server that the test stops and starts
 * again. It has a server of its own, not the shared one of {@link AbstractAutoConfigurationTests}, since it
 * stops it, and it needs no Redis.
 */
class ZooKeeperHealthContributorAutoConfigurationTests {

    @RegisterExtension
    static final TestServerExtension<TestingServer> zookeeper = TestServerExtension.of(() -> new TestingServer(true));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, ZooKeeperHealthContributorAutoConfiguration.class));

    @Test
    void upWhileConnectedDownWhileTheServerIsStoppedAndUpAgainWhenItIsBack() {
        runner.withPropertyValues("ringlock.zookeeper.connect-string=" + zookeeper.server().getConnectString(),
                "ringlock.zookeeper.session-timeout=60s").run(context -> {
            assertThat(context).hasBean("zookeeperHealthIndicator");
            HealthIndicator health = context.getBean("zookeeperHealthIndicator", HealthIndicator.class);
            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("connectString", zookeeper.server().getConnectString())
                    .containsEntry("state", "CONNECTED");

            zookeeper.server().stop();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.DOWN));
                assertThat(health.health().getDetails()).containsEntry("connectString", zookeeper.server().getConnectString())
                        .hasEntrySatisfying("state", state -> assertThat(state).isIn("SUSPENDED", "LOST", "DISCONNECTED"));
            }
            finally {
                zookeeper.server().restart();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
            assertThat(health.health().getDetails()).containsEntry("state", "CONNECTED");
        });
    }

    @Test
    void downWithTheClientStateOnceTheClientIsClosed() {
        runner.withPropertyValues("ringlock.zookeeper.connect-string=" + zookeeper.server().getConnectString()).run(context -> {
            context.getBean(CuratorFramework.class).close();
            Health health = context.getBean("zookeeperHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("state", "STOPPED");
        });
    }

    @Test
    void turnedOffByItsManagementProperty() {
        runner.withPropertyValues("ringlock.zookeeper.connect-string=" + zookeeper.server().getConnectString(),
                "management.health.zookeeper.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("zookeeperHealthIndicator"));
    }

    @Test
    void absentWithoutZooKeeperOrWithoutHealthSupport() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("zookeeperHealthIndicator"));
        runner.withPropertyValues("ringlock.zookeeper.connect-string=" + zookeeper.server().getConnectString())
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("zookeeperHealthIndicator"));
    }
}
