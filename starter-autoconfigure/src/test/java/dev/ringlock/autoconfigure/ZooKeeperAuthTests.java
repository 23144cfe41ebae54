package dev.ringlock.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.ring.HashRingRouter;
import dev.ringlock.testsupport.ZooKeeperServerExtension;
import dev.ringlock.testsupport.ZooKeeperSessions;
import dev.ringlock.zookeeper.ZooKeeperDigestAcl;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlock.zookeeper.auth.*} against a real server: every znode Ringlock creates (lock nodes, counters, ring
 * members and all their parents) carries a digest ACL for the configured user alone, so a client without the
 * credential can neither delete a lock node nor change or read a counter; a credential that cannot work fails
 * start-up naming the property.
 */
class ZooKeeperAuthTests {

    private static final String USER = "ringlock-app";
    /** The digest scheme splits at the first ':', so the password may hold more. */
    private static final String PASSWORD = "s3cret:with:colons";

    @RegisterExtension
    static final ZooKeeperServerExtension zookeeper = new ZooKeeperServerExtension();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, CounterAutoConfiguration.class,
                    RingAutoConfiguration.class))
            .withPropertyValues("ringlock.backend=zookeeper", "ringlock.zookeeper.connect-string=" + zookeeper.connectString());

    @Test
    void everyNodeRinglockCreatesIsProtectedFromClientsWithoutTheCredential() {
        runner.withPropertyValues("ringlock.key-prefix=secured", "ringlock.ring.self-id=member-1",
                "ringlock.zookeeper.auth.username=" + USER, "ringlock.zookeeper.auth.password=" + PASSWORD).run(context -> {
            assertThat(context).hasNotFailed();
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            assertThat(counters.incrementAndGet("payments")).isEqualTo(1);
            assertThat(counters.sequence("order-number", 10).next()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(HashRingRouter.class).snapshot().nodes()
                    .contains("member-1"));
            try (LockHandle lock = context.getBean(LockTemplate.class).acquire("order:42", Duration.ofSeconds(5));
                    CuratorFramework admin = client(USER + ":" + PASSWORD);
                    CuratorFramework intruder = client(null);
                    CuratorFramework wrongPassword = client(USER + ":guess")) {
                List<String> nodes = tree(admin, "/secured");
                String lockDir = "/secured/locks/order%3A42";
                String lockNode = ZKPaths.makePath(lockDir, admin.getChildren().forPath(lockDir).get(0));
                assertThat(nodes).contains("/secured", "/secured/locks", lockDir, lockNode, "/secured/counters",
                        "/secured/counters/payments", "/secured/counters/order-number", "/secured/members",
                        "/secured/members/member-1");
                List<ACL> expected = new ZooKeeperDigestAcl(USER, PASSWORD).acl();
                for (String node : nodes) {
                    assertThat(admin.getACL().forPath(node)).as("ACL of %s", node).isEqualTo(expected);
                }

                for (CuratorFramework outsider : List.of(intruder, wrongPassword)) {
                    assertThatExceptionOfType(KeeperException.NoAuthException.class)
                            .isThrownBy(() -> outsider.delete().forPath(lockNode));
                    assertThatExceptionOfType(KeeperException.NoAuthException.class)
                            .isThrownBy(() -> outsider.create().forPath(lockDir + "/lock-0000000000"));
                    assertThatExceptionOfType(KeeperException.NoAuthException.class)
                            .isThrownBy(() -> outsider.setData().forPath("/secured/counters/payments",
                                    "1000".getBytes(StandardCharsets.UTF_8)));
                    assertThatExceptionOfType(KeeperException.NoAuthException.class)
                            .isThrownBy(() -> outsider.delete().forPath("/secured/counters/payments"));
                    assertThatExceptionOfType(KeeperException.NoAuthException.class)
                            .isThrownBy(() -> outsider.getData().forPath("/secured/counters/payments"));
                    assertThatExceptionOfType(KeeperException.NoAuthException.class)
                            .isThrownBy(() -> outsider.delete().forPath("/secured/members/member-1"));
                }
                assertThat(lock.isValid()).as("the lock, after the intruders' attempts").isTrue();
                assertThat(counters.get("payments")).isEqualTo(1);
            }
        });
    }

    @Test
    void aNewSessionAfterAnExpiryIsAuthenticatedAgain() {
        runner.withPropertyValues("ringlock.key-prefix=reauth", "ringlock.zookeeper.auth.username=" + USER,
                "ringlock.zookeeper.auth.password=" + PASSWORD).run(context -> {
            CuratorFramework client = context.getBean(CuratorFramework.class);
            CounterTemplate counters = context.getBean(CounterTemplate.class);
            assertThat(counters.incrementAndGet("visits")).isEqualTo(1);
            long before = client.getZookeeperClient().getZooKeeper().getSessionId();

            ZooKeeperSessions.expire(client, zookeeper.connectString());

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.getZookeeperClient()
                    .getZooKeeper().getSessionId() != before && client.getZookeeperClient().isConnected());
            // the nodes carry the ACL: without authenticating the new session, this increment would be refused
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> counters.incrementAndGet("visits") >= 2);
            try (LockHandle lock = context.getBean(LockTemplate.class).acquire("after-expiry", Duration.ofSeconds(5))) {
                assertThat(lock.isValid()).isTrue();
            }
        });
    }

    @Test
    void aUserNameWithoutPasswordFailsStartUpNamingThePasswordProperty() {
        runner.withPropertyValues("ringlock.zookeeper.auth.username=" + USER).run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).isEqualTo("Invalid ZooKeeper credential: "
                    + "'ringlock.zookeeper.auth.password' is not set, but 'ringlock.zookeeper.auth.username' is set");
            assertThat(analysis.getAction()).contains("'ringlock.zookeeper.auth.password'");
        });
    }

    @Test
    void aPasswordWithoutUserNameFailsStartUpNamingTheUserNameProperty() {
        runner.withPropertyValues("ringlock.zookeeper.auth.password=" + PASSWORD).run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'ringlock.zookeeper.auth.username' is not set")
                    .doesNotContain(PASSWORD);
            assertThat(analysis.getAction()).startsWith("Set 'ringlock.zookeeper.auth.username'");
        });
    }

    @Test
    void aUserNameWithAColonFailsStartUpNamingTheUserNameProperty() {
        runner.withPropertyValues("ringlock.zookeeper.auth.username=ringlock:app",
                "ringlock.zookeeper.auth.password=" + PASSWORD).run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'ringlock.zookeeper.auth.username' 'ringlock:app' contains ':'")
                    .doesNotContain(PASSWORD);
            assertThat(analysis.getAction()).contains("'ringlock.zookeeper.auth.username'");
        });
    }

    @Test
    void theCredentialSetForTheApplicationsOwnClientFailsStartUpInsteadOfLeavingNodesOpen() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                        ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class))
                .withBean("appCurator", CuratorFramework.class, () -> CuratorFrameworkFactory.newClient(
                        zookeeper.connectString(), new RetryOneTime(100)), bean -> bean.setDestroyMethodName("close"))
                .withPropertyValues("ringlock.backend=zookeeper", "ringlock.zookeeper.auth.username=" + USER,
                        "ringlock.zookeeper.auth.password=" + PASSWORD)
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'ringlock.zookeeper.auth' is set",
                            "CuratorFramework 'appCurator'");
                    assertThat(analysis.getAction()).contains("bean 'appCurator'", "'ringlock.zookeeper.auth.*'");
                });
    }

    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).as("start-up failure").isNotNull();
        FailureAnalysis analysis = new ZooKeeperAuthFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    /** A client authenticated as {@code credential} ({@code user:password}), or not at all for null. */
    private static CuratorFramework client(String credential) throws InterruptedException {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(zookeeper.connectString()).retryPolicy(new RetryOneTime(100));
        if (credential != null) {
            builder.authorization("digest", credential.getBytes(StandardCharsets.UTF_8));
        }
        CuratorFramework client = builder.build();
        client.start();
        assertThat(client.blockUntilConnected(15, TimeUnit.SECONDS)).isTrue();
        return client;
    }

    private static List<String> tree(CuratorFramework client, String root) throws Exception {
        List<String> nodes = new ArrayList<>();
        nodes.add(root);
        for (String child : client.getChildren().forPath(root)) {
            nodes.addAll(tree(client, ZKPaths.makePath(root, child)));
        }
        return nodes;
    }
}
