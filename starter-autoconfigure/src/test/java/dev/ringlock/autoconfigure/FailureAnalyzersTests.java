package dev.ringlock.autoconfigure;

import java.lang.reflect.Method;

import dev.ringlock.leader.InvalidLeaderDeclarationException;
import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.InvalidLockDeclarationException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class FailureAnalyzersTests {

    @Test
    void noBackendNamesTheBackendProperties() {
        FailureAnalysis analysis = new NoBackendFailureAnalyzer()
                .analyze(new NoBackendException("lock", null, "none is set and none was detected"));
        assertThat(analysis.getDescription()).isEqualTo("Ringlock lock has no backend: none is set and none was detected");
        assertThat(analysis.getAction()).contains("'ringlock.backend'", "'ringlock.lock.backend'",
                "'ringlock.zookeeper.connect-string'");
    }

    @Test
    void namedZooKeeperWithoutClientNamesTheConnectString() {
        FailureAnalysis analysis = new NoBackendFailureAnalyzer()
                .analyze(new NoBackendException("lock", RinglockBackend.ZOOKEEPER, "no client"));
        assertThat(analysis.getAction()).startsWith("Set 'ringlock.zookeeper.connect-string'");
    }

    @Test
    void namedRedisWithoutConnectionNamesTheRedisProperties() {
        FailureAnalysis analysis = new NoBackendFailureAnalyzer()
                .analyze(new NoBackendException("lock", RinglockBackend.REDIS, "no factory"));
        assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis", "'spring.data.redis.host'");
    }

    @Test
    void unavailableBackendNamesAddressAndProperty() {
        FailureAnalysis analysis = new BackendUnavailableFailureAnalyzer().analyze(new BackendUnavailableException(
                RinglockBackend.ZOOKEEPER, "zk1:2181", "'ringlock.zookeeper.connect-string'", "timed out"));
        assertThat(analysis.getDescription()).isEqualTo("Ringlock could not reach zookeeper at zk1:2181: timed out");
        assertThat(analysis.getAction())
                .isEqualTo("Start zookeeper at zk1:2181, or correct 'ringlock.zookeeper.connect-string'.");
    }

    @Test
    void refusedCredentialsNameTheCredentialProperty() {
        FailureAnalysis analysis = new BackendAuthenticationFailureAnalyzer().analyze(new BackendAuthenticationException(
                RinglockBackend.REDIS, "redis1:6379", "'spring.data.redis.password'", "WRONGPASS invalid password",
                new IllegalStateException("WRONGPASS invalid password")));
        assertThat(analysis.getDescription())
                .isEqualTo("Ringlock could not log in to redis at redis1:6379: WRONGPASS invalid password");
        assertThat(analysis.getAction())
                .isEqualTo("Correct 'spring.data.redis.password' to credentials that redis at redis1:6379 accepts.");
    }

    @Test
    void invalidDeclarationNamesTheMethod() throws NoSuchMethodException {
        Method method = FailureAnalyzersTests.class.getDeclaredMethod("invalidDeclarationNamesTheMethod");
        FailureAnalysis analysis = new InvalidLockDeclarationFailureAnalyzer()
                .analyze(new InvalidLockDeclarationException(method, "'key' must not be blank", null));
        assertThat(analysis.getDescription()).contains("FailureAnalyzersTests.invalidDeclarationNamesTheMethod()",
                "'key' must not be blank");
        assertThat(analysis.getAction()).isEqualTo("Correct the @DistributedLock annotation on "
                + FailureAnalyzersTests.class.getName() + ".invalidDeclarationNamesTheMethod().");
    }

    @Test
    void zooKeeperAuthNamesThePropertyAndWhatToDo() {
        FailureAnalysis analysis = new ZooKeeperAuthFailureAnalyzer().analyze(new ZooKeeperAuthException(
                "Invalid ZooKeeper credential: 'ringlock.zookeeper.auth.password' is not set",
                "ringlock.zookeeper.auth.password", "Set 'ringlock.zookeeper.auth.password'."));
        assertThat(analysis.getDescription()).contains("'ringlock.zookeeper.auth.password' is not set");
        assertThat(analysis.getAction()).isEqualTo("Set 'ringlock.zookeeper.auth.password'.");
    }

    @Test
    void invalidLeaderDeclarationOnAMethodNamesTheMethod() throws NoSuchMethodException {
        Method method = FailureAnalyzersTests.class.getDeclaredMethod("invalidLeaderDeclarationOnAMethodNamesTheMethod");
        FailureAnalysis analysis = new InvalidLeaderDeclarationFailureAnalyzer()
                .analyze(new InvalidLeaderDeclarationException(method, "'group' must not be blank"));
        assertThat(analysis.getDescription()).isEqualTo("@LeaderOnly on " + FailureAnalyzersTests.class.getName()
                + ".invalidLeaderDeclarationOnAMethodNamesTheMethod(): 'group' must not be blank");
        assertThat(analysis.getAction()).isEqualTo("Correct the @LeaderOnly annotation on "
                + FailureAnalyzersTests.class.getName() + ".invalidLeaderDeclarationOnAMethodNamesTheMethod().");
    }

    @Test
    void invalidLeaderDeclarationOnABeanNamesTheBeanAndItsClass() {
        FailureAnalysis analysis = new InvalidLeaderDeclarationFailureAnalyzer().analyze(
                new InvalidLeaderDeclarationException("feed", FailureAnalyzersTests.class, "the bean must be a SmartLifecycle"));
        assertThat(analysis.getDescription()).isEqualTo("@LeaderOnly on bean 'feed' (" + FailureAnalyzersTests.class.getName()
                + "): the bean must be a SmartLifecycle");
        assertThat(analysis.getAction()).isEqualTo("Correct the @LeaderOnly annotation on bean 'feed' ("
                + FailureAnalyzersTests.class.getName() + ").");
    }
}
