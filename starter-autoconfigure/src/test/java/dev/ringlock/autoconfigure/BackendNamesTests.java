package dev.ringlock.autoconfigure;

import dev.ringlock.local.LocalBackend;
import dev.ringlock.redis.RedisBackend;
import dev.ringlock.zookeeper.ZooKeeperBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names in properties ({@code ringlock.backend=redis}) are the names the backends give themselves in logs,
 * metrics and exceptions: each backend module keeps its own in one constant.
 */
class BackendNamesTests {

    @Test
    void propertyNamesAreTheBackendsOwnNames() {
        assertThat(RinglockBackend.REDIS.id()).isEqualTo(RedisBackend.NAME);
        assertThat(RinglockBackend.ZOOKEEPER.id()).isEqualTo(ZooKeeperBackend.NAME);
        assertThat(RinglockBackend.LOCAL.id()).isEqualTo(LocalBackend.NAME);
    }
}
