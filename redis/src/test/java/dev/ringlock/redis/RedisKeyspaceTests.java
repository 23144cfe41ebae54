package dev.ringlock.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisKeyspaceTests {

    private final RedisKeyspace keyspace = new RedisKeyspace("shop");

    @Test
    void everyKeyOfALockSharesOneHashTag() {
        String lock = keyspace.lockKey("order:42");
        assertThat(lock).isEqualTo("shop:lock:{order:42}");
        assertThat(hashTag(keyspace.fenceKey(lock))).isEqualTo(hashTag(lock)).isEqualTo("order:42");
        assertThat(hashTag(keyspace.waitingKey(lock))).isEqualTo("order:42");
        assertThat(hashTag(keyspace.holdersKey(lock))).isEqualTo("order:42");
        assertThat(hashTag(keyspace.tokensKey(lock))).isEqualTo("order:42");
        assertThat(hashTag(keyspace.writerWaitingKey(lock))).isEqualTo("order:42");
    }

    @Test
    void bracesInKeysCannotEndTheHashTagEarly() {
        String lock = keyspace.lockKey("}a{b}%");
        assertThat(lock).isEqualTo("shop:lock:{%7Da%7Bb%7D%25}");
        assertThat(hashTag(keyspace.fenceKey(lock))).isEqualTo(hashTag(lock)).isEqualTo("%7Da%7Bb%7D%25");
    }

    @Test
    void aCounterIsOneKeyInAHashTagOfItsOwn() {
        assertThat(keyspace.counterKey("orders")).isEqualTo("shop:counter:{orders}");
        assertThat(keyspace.counterKey("}a{")).isEqualTo("shop:counter:{%7Da%7B}");
        assertThat(hashTag(keyspace.counterKey("}a{"))).isEqualTo("%7Da%7B");
        assertThat(keyspace.counterKey("orders")).isNotEqualTo(keyspace.lockKey("orders"));
    }

    @Test
    void encodingIsInjective() {
        assertThat(keyspace.lockKey("%7B")).isNotEqualTo(keyspace.lockKey("{"));
    }

    @Test
    void prefixesWithBracesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeyspace("a{b}"))
                .withMessageContaining("'ringlock.key-prefix'");
    }

    /** Redis Cluster's rule: the text between the first '{' and the next '}', if not empty. */
    private static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = key.indexOf('}', open + 1);
        return open >= 0 && close > open + 1 ? key.substring(open + 1, close) : key;
    }
}
