package dev.ringlock.zookeeper;

import org.apache.curator.utils.PathUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ZooKeeperPathsTests {

    private final ZooKeeperPaths paths = new ZooKeeperPaths("shop");

    @ParameterizedTest
    @ValueSource(strings = {"order:42", "a/b", "..", ".", "../../zookeeper", "new\nline", "\u0000", "ünïcødé 🔒", "*?[]",
            "%2F"})
    void everyKeyIsOneValidSegmentUnderThePrefix(String key) {
        String dir = paths.lockDir(key);
        PathUtils.validatePath(dir);
        assertThat(dir).startsWith("/shop/locks/");
        assertThat(dir.substring("/shop/locks/".length())).doesNotContain("/").isNotIn(".", "..");
    }

    @ParameterizedTest
    @ValueSource(strings = {"order:42", "a/b", "..", ".", "../../zookeeper", "new\nline", "\u0000", "ünïcødé 🔒", "%2F"})
    void everyCounterIsOneValidNodeUnderThePrefix(String name) {
        String path = paths.counterPath(name);
        PathUtils.validatePath(path);
        assertThat(path).startsWith("/shop/counters/");
        assertThat(path.substring("/shop/counters/".length())).doesNotContain("/").isNotIn(".", "..");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reports", "a/b", "..", ".", "../../zookeeper", "new\nline", "ünïcødé 🔒", "%2F"})
    void everyLeaderGroupIsOneValidSegmentUnderThePrefix(String group) {
        String dir = paths.leaderDir(group);
        PathUtils.validatePath(dir);
        assertThat(dir).startsWith("/shop/leader/");
        assertThat(dir.substring("/shop/leader/".length())).doesNotContain("/").isNotIn(".", "..");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "%2F"})
    void differentKeysGetDifferentPaths(String key) {
        assertThat(paths.lockDir(key)).isNotEqualTo(paths.lockDir("a%2Fb")).isNotEqualTo(paths.lockDir("%252F"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", " ", "a{b}"})
    void prefixesThatNoBackendTakesAreRefusedNamingTheProperty(String prefix) {
        assertThatIllegalArgumentException().isThrownBy(() -> new ZooKeeperPaths(prefix))
                .withMessageContaining("'ringlock.key-prefix'");
    }
}
