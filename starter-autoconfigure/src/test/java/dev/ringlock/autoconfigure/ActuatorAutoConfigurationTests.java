package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.ringlock.autoconfigure.actuator.RinglockEndpoint;
import dev.ringlock.autoconfigure.actuator.RinglockEndpointAutoConfiguration;
import dev.ringlock.autoconfigure.health.ZooKeeperHealthContributorAutoConfiguration;
import dev.ringlock.autoconfigure.metrics.LeaderMetricsAutoConfiguration;
import dev.ringlock.autoconfigure.metrics.RingMetricsAutoConfiguration;
import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.Leadership;
import dev.ringlock.local.LocalLeaderElectionProvider;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import io.micrometer.core.instrument.Statistic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ringlock under Spring Boot's own observation, metrics and endpoint auto-configuration, as an application
 * with the actuator starter has it: what {@code /actuator/metrics/ringlock.*} and {@code /actuator/ringlock}
 * answer after real work on a real server.
 */
class ActuatorAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    MetricsEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class,
                    RinglockAutoConfiguration.class, ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class,
                    CounterAutoConfiguration.class, RingAutoConfiguration.class, RingMetricsAutoConfiguration.class,
                    LeaderMetricsAutoConfiguration.class,
                    DataRedisAutoConfiguration.class, RinglockEndpointAutoConfiguration.class, ZooKeeperHealthContributorAutoConfiguration.class))
            .withPropertyValues(redisProperties())
            .withPropertyValues("management.endpoints.web.exposure.include=health,metrics,ringlock");

    @Test
    void metricsAndEndpointShowRealValuesAfterWork() {
        runner.withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(), "ringlock.key-prefix=actuator",
                "ringlock.ring.self-id=instance-1").run(context -> {
            LockTemplate locks = context.getBean(LockTemplate.class);
            try (LockHandle held = locks.acquire("order:A-1", Duration.ofSeconds(5))) {
                assertThat(locks.tryAcquire("order:A-1", Duration.ZERO)).isEmpty();
                RinglockEndpoint.RinglockDescriptor answer = context.getBean(RinglockEndpoint.class).ringlock();
                assertThat(answer.backends()).containsEntry("lock", "zookeeper").containsEntry("counter", "zookeeper")
                        .containsEntry("ring", "zookeeper");
                assertThat(answer.locks()).singleElement().satisfies(lock -> {
                    assertThat(lock.key()).isEqualTo("order:A-1");
                    assertThat(lock.fencingToken()).isEqualTo(held.fencingToken());
                });
            }
            context.getBean(CounterTemplate.class).incrementAndGet("page-views");

            MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);
            assertThat(count(metrics, "ringlock.lock.acquire", List.of())).isEqualTo(2);
            assertThat(count(metrics, "ringlock.lock.acquire", List.of("outcome:timeout", "backend:zookeeper"))).isEqualTo(1);
            assertThat(count(metrics, "ringlock.lock.held", List.of("backend:zookeeper"))).isEqualTo(1);
            assertThat(count(metrics, "ringlock.counter", List.of("operation:increment"))).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(statistic(metrics, "ringlock.ring.changes", Statistic.COUNT)).isEqualTo(1));
            assertThat(statistic(metrics, "ringlock.ring.members", Statistic.VALUE)).isEqualTo(1);
            assertThat(context).hasBean("zookeeperHealthIndicator");
        });
    }

    @Test
    void theLeaderOfAGroupInTheEndpointAndInItsMeters() {
        runner.withBean(LocalLeaderElectionProvider.class).withUserConfiguration(UserLeaderElection.class)
                .withPropertyValues("ringlock.backend=local", "ringlock.ring.enabled=false").run(context -> {
                    Leadership reports = context.getBean(DefaultLeaderElection.class).join("reports");
                    reports.yieldLeadership();
                    await().atMost(Duration.ofSeconds(10)).until(reports::isLeader);

                    RinglockEndpoint.LeaderDescriptor leader = context.getBean(RinglockEndpoint.class).ringlock().leader();
                    assertThat(leader).isNotNull();
                    assertThat(leader.groups()).containsExactly(new RinglockEndpoint.Group("reports", "leader",
                            reports.term(), UserLeaderElection.MEMBER));

                    MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);
                    assertThat(value(metrics, "ringlock.leader.leading", List.of("group:reports"), Statistic.VALUE))
                            .isEqualTo(1);
                    assertThat(value(metrics, "ringlock.leader.grants", List.of("group:reports"), Statistic.COUNT))
                            .isEqualTo(2);
                    assertThat(value(metrics, "ringlock.leader.revokes", List.of("group:reports", "reason:yielded"),
                            Statistic.COUNT)).isEqualTo(1);
                    assertThat(metrics.metric("ringlock.leader.leading", List.of()).getAvailableTags())
                            .extracting(MetricsEndpoint.AvailableTag::getTag).containsExactly("group");
                });
    }

    private static double value(MetricsEndpoint metrics, String name, List<String> tags, Statistic statistic) {
        MetricsEndpoint.MetricDescriptor metric = metrics.metric(name, tags);
        assertThat(metric).as("metric %s %s", name, tags).isNotNull();
        return metric.getMeasurements().stream().filter(sample -> sample.getStatistic() == statistic)
                .findFirst().orElseThrow().getValue();
    }

    private static double count(MetricsEndpoint metrics, String name, List<String> tags) {
        MetricsEndpoint.MetricDescriptor metric = metrics.metric(name, tags);
        assertThat(metric).as("metric %s %s", name, tags).isNotNull();
        return metric.getMeasurements().stream().filter(sample -> sample.getStatistic() == Statistic.COUNT)
                .findFirst().orElseThrow().getValue();
    }

    private static double statistic(MetricsEndpoint metrics, String name, Statistic statistic) {
        MetricsEndpoint.MetricDescriptor metric = metrics.metric(name, List.of());
        assertThat(metric).as("metric %s", name).isNotNull();
        return metric.getMeasurements().stream().filter(sample -> sample.getStatistic() == statistic)
                .findFirst().orElseThrow().getValue();
    }
}
