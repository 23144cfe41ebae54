package dev.ringlock.lock;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one check that refuses a kind a backend does not implement, before the backend is asked. */
class UnsupportedLockKindTests {

    /** A backend with the exclusive lock only, as a backend of another author may be; it must never be reached. */
    private final LockProvider exclusiveOnly = new LockProvider() {
        @Override
        public String backend() {
            return "exclusive-only";
        }

        @Override
        public Optional<LockHandle> tryAcquire(LockRequest request) {
            throw new AssertionError("reached the backend with " + request);
        }
    };

    private final DefaultLockTemplate template = new DefaultLockTemplate(exclusiveOnly, Duration.ofSeconds(30),
            LockLostPolicy.THROW);

    @Test
    void readAndPermitLocksAreRefusedNamingBackendKeyAndKind() {
        assertThatThrownBy(() -> template.tryAcquireRead("catalog", Duration.ZERO))
                .isInstanceOf(UnsupportedLockKindException.class).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("exclusive-only").hasMessageContaining("'catalog'").hasMessageContaining("read");
        assertThatThrownBy(() -> template.tryAcquirePermit("exports", 3, Duration.ZERO))
                .isInstanceOf(UnsupportedLockKindException.class).hasMessageContaining("exclusive-only")
                .hasMessageContaining("'exports'").hasMessageContaining("permit");
    }

    @Test
    void requestsCarryTheKindAndTheOldConstructorIsTheExclusiveLock() {
        LockRequest plain = new LockRequest("k", Duration.ZERO, Duration.ofSeconds(1));
        assertThat(plain.mode()).isEqualTo(LockMode.WRITE);
        assertThat(plain.permits()).isEqualTo(1);
        assertThat(plain.isExclusive()).isTrue();
        assertThat(plain.kind()).isEqualTo("write");
        assertThat(new LockRequest("k", Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, LockMode.WRITE, 4).kind())
                .isEqualTo("permit");
        assertThatIllegalArgumentException().isThrownBy(
                () -> new LockRequest("k", Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, LockMode.WRITE, 0))
                .withMessageContaining("'permits'");
        assertThatIllegalArgumentException().isThrownBy(
                () -> new LockRequest("k", Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, LockMode.READ, 2))
                .withMessageContaining("'permits'").withMessageContaining("READ");
    }
}
