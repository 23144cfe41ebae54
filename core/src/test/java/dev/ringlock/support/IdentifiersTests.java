package dev.ringlock.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdentifiersTests {

    @Test
    void surrogatePairsAreValid() {
        assertThat(Identifiers.requireValid("key", "emoji-😀-𝄞")).isEqualTo("emoji-😀-𝄞");
        assertThat(Identifiers.unpairedSurrogate("😀")).isEqualTo(-1);
    }

    @Test
    void anUnpairedSurrogateIsRefusedWithItsIndex() {
        assertThat(Identifiers.unpairedSurrogate("a\uD800")).isEqualTo(1);
        assertThat(Identifiers.unpairedSurrogate("\uDC00\uD800")).isEqualTo(0);
        assertThat(Identifiers.unpairedSurrogate("😀\uDE00")).isEqualTo(2);
        assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValid("name", "a\uD800"))
                .withMessage("'name' must be valid Unicode, but has an unpaired surrogate \\uD800 at index 1");
    }

    @Test
    void blankAndTooLongAreRefusedNamingTheArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValid("key", " \t"))
                .withMessageStartingWith("'key' must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValid("key", "x".repeat(1025)))
                .withMessageStartingWith("'key' must be at most 1024 characters, was 1025");
        assertThat(Identifiers.requireValid("key", "x".repeat(1024))).hasSize(1024);
    }
}
