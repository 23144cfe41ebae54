package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.ringlock.testsupport.TestClients;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.zookeeper.ZooKeeperMembership;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One WARN line for each lost lock, failed lease renewal and ring member removed, naming the key or member and
 * the backend, as the auto-configured application logs them against real servers; a member joining, which
 * every deploy does, is one INFO line.
 */
@ExtendWith(OutputCaptureExtension.class)
class WarningLogsAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, RingAutoConfiguration.class,
                    DataRedisAutoConfiguration.class));

    private ApplicationContextRunner withServers(String keyPrefix) {
        return runner.withPropertyValues(redisProperties())
                .withPropertyValues("ringlock.key-prefix=" + keyPrefix, "ringlock.ring.enabled=false");
    }

    @Test
    void aLostRedisLockIsOneWarningNamingKeyAndBackend(CapturedOutput output) {
        withAdmin(admin -> withServers("warn-redis").withPropertyValues("ringlock.backend=redis",
                "ringlock.lock.lease-time=900ms").run(context -> {
            try (LockHandle handle = context.getBean(LockTemplate.class).acquire("lost-redis", Duration.ofSeconds(5))) {
                assertThat(admin.delete("warn-redis:lock:{lost-redis}")).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> !linesAbout(output, "'lost-redis'").isEmpty());
                assertThat(handle.isValid()).isFalse();
            }
        }));
        assertThat(linesAbout(output, "'lost-redis'")).singleElement().satisfies(line ->
                assertThat(line).contains("WARN", "Lock 'lost-redis' on redis", "was lost"));
    }

    @Test
    void aLostZooKeeperLockIsOneWarningNamingKeyAndBackend(CapturedOutput output) throws Exception {
        try (CuratorFramework admin = TestClients.zookeeper(zookeeper.connectString(), 10_000, new RetryOneTime(100))) {
            withServers("warn-zk").withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect()).run(context -> {
                try (LockHandle handle = context.getBean(LockTemplate.class).acquire("lost-zk", Duration.ofSeconds(5))) {
                    String locks = "/warn-zk/locks/lost-zk";
                    admin.delete().forPath(locks + "/" + admin.getChildren().forPath(locks).get(0));
                    await().atMost(Duration.ofSeconds(10)).until(() -> !linesAbout(output, "'lost-zk'").isEmpty());
                    assertThat(handle.isValid()).isFalse();
                }
            });
        }
        assertThat(linesAbout(output, "'lost-zk'")).singleElement().satisfies(line ->
                assertThat(line).contains("WARN", "Lock 'lost-zk' on zookeeper", "was lost"));
    }

    @Test
    void workThatOutlivedItsLockUnderOnLostLogAddsOneLineWhenItEnds(CapturedOutput output) {
        withAdmin(admin -> withServers("warn-on-lost").withPropertyValues("ringlock.backend=redis",
                "ringlock.lock.lease-time=900ms", "ringlock.lock.on-lost=log").run(context -> {
            String result = context.getBean(LockTemplate.class).executeWithLock("outlived", Duration.ofSeconds(5), () -> {
                assertThat(admin.delete("warn-on-lost:lock:{outlived}")).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> !linesAbout(output, "'outlived'").isEmpty());
                return "kept";
            });
            assertThat(result).isEqualTo("kept");
        }));
        List<String> lines = linesAbout(output, "'outlived'");
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).contains("WARN", "on redis"));
        assertThat(lines.get(0)).contains("was lost");
        assertThat(lines.get(1)).contains("finished after the lock was lost", "its result is kept");
    }

    @Test
    void aFailedRenewalIsAWarningNamingKeyAndBackend(CapturedOutput output) {
        assumeTrue(redis.server().supportsFaults(), "server supports faults");
        withServers("warn-renewal").withPropertyValues("ringlock.backend=redis", "ringlock.lock.lease-time=3s")
                .run(context -> {
                    try (LockHandle ignored = context.getBean(LockTemplate.class).acquire("renewal", Duration.ofSeconds(5))) {
                        redis.server().pause();
                        try {
                            await().atMost(Duration.ofSeconds(10)).until(() -> !linesAbout(output, "'renewal'").isEmpty());
                        }
                        finally {
                            redis.server().resume();
                        }
                    }
                });
        // each failed attempt is one line (a loss, should the pause outlast the lease, is a line of its own)
        assertThat(linesAbout(output, "Renewing the lease of lock 'renewal'")).isNotEmpty().allSatisfy(line ->
                assertThat(line).contains("WARN", "Renewing the lease of lock 'renewal' on redis failed; retrying in 1000 ms"));
    }

    @Test
    void aJoinIsOneInfoLineAndARemovalOneWarningNamingTheMember(CapturedOutput output) throws Exception {
        withServers("warn-ring").withPropertyValues("ringlock.ring.enabled=true", "ringlock.backend=zookeeper",
                zookeeperConnect(), "ringlock.ring.self-id=warn-1").run(context -> {
            try (CuratorFramework other = TestClients.zookeeper(zookeeper.connectString(), 10_000, new RetryOneTime(100))) {
                ZooKeeperMembership membership = new ZooKeeperMembership(other, new ZooKeeperPaths("warn-ring"));
                membership.start(members -> {
                });
                membership.join("warn-2");
                await().atMost(Duration.ofSeconds(20)).until(() -> !linesAbout(output, "added=[warn-2]").isEmpty());
                membership.stop();
                await().atMost(Duration.ofSeconds(20)).until(() -> !linesAbout(output, "removed=[warn-2]").isEmpty());
            }
        });
        assertThat(linesAbout(output, "added=[warn-2]")).singleElement().satisfies(line -> assertThat(line)
                .contains(" INFO ", "Ring membership changed on zookeeper", "removed=[]", "members=2")
                .doesNotContain("WARN"));
        // the router cannot tell a clean leave from a crash or an expired session: every removal warns
        assertThat(linesAbout(output, "removed=[warn-2]")).singleElement().satisfies(line ->
                assertThat(line).contains(" WARN ", "Ring membership changed on zookeeper", "members=1"));
        assertThat(linesAbout(output, "added=[warn-1]")).singleElement().satisfies(line ->
                assertThat(line).contains(" INFO ", "Ring membership changed on zookeeper"));
    }

    private static List<String> linesAbout(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).toList();
    }

    private static void withAdmin(Consumer<StringRedisTemplate> action) {
        LettuceConnectionFactory factory = TestClients.redis(redis.host(), redis.port());
        try {
            action.accept(new StringRedisTemplate(factory));
        }
        finally {
            factory.destroy();
        }
    }
}
