package dev.ringlock.lock;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link LockKeys#ordered}: the one order, de-duplication and check of the keys of a lock on several keys.
 */
class LockKeysTests {

    @Test
    void severalKeysAreSortedByUtf8BytesEachOnce() {
        assertThat(LockKeys.ordered(List.of("b", "é", "a", "b", "Z"))).containsExactly("Z", "a", "b", "é");
        assertThat(LockKeys.ordered(List.of("\uD83D\uDE00", "\uFFFF"))).as("UTF-8, not UTF-16, order")
                .containsExactly("\uFFFF", "\uD83D\uDE00");
        assertThatIllegalArgumentException().isThrownBy(() -> LockKeys.ordered(List.of()))
                .withMessageContaining("'keys'");
        assertThatIllegalArgumentException().isThrownBy(() -> LockKeys.ordered(Arrays.asList("a", null)))
                .withMessageContaining("'keys'").withMessageContaining("null");
        assertThatIllegalArgumentException().isThrownBy(() -> LockKeys.ordered(List.of("a", " ")))
                .withMessageContaining("'key'");
    }
}
