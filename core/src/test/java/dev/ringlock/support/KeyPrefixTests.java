package dev.ringlock.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KeyPrefixTests {

    @Test
    void aPlainPrefixIsKept() {
        assertThat(KeyPrefix.requireValid("my-app.orders:v2")).isEqualTo("my-app.orders:v2");
    }

    @Test
    void blankIsRefusedNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> KeyPrefix.requireValid(" "))
                .withMessage("'ringlock.key-prefix' must not be blank, was ' '");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyPrefix.requireValid(null))
                .withMessage("'ringlock.key-prefix' must not be blank, was null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app{1}", "app}", "a/b", "a b", "a\tb", "a\u0000b"})
    void charactersThatMeanSomethingToABackendAreRefused(String prefix) {
        assertThatIllegalArgumentException().isThrownBy(() -> KeyPrefix.requireValid(prefix))
                .withMessageStartingWith("'ringlock.key-prefix' must not contain '{', '}', '/'")
                .withMessageContaining(prefix);
    }
}
