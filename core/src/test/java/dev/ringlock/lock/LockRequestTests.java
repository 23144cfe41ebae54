package dev.ringlock.lock;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What a {@link LockRequest} refuses before any backend sees it, naming the key and the attribute. */
class LockRequestTests {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void aHoldIsRefusedOnReadAndPermitLocks() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LockRequest("catalog", Duration.ZERO, LEASE, Duration.ofSeconds(1), LockMode.READ, 1))
                .withMessageContaining("'holdAtLeast'").withMessageContaining("read lock 'catalog'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LockRequest("exports", Duration.ZERO, LEASE, Duration.ofSeconds(1), LockMode.WRITE, 3))
                .withMessageContaining("'holdAtLeast'").withMessageContaining("permit lock 'exports'");
    }

    @Test
    void theExclusiveLockTakesAHold() {
        LockRequest request = new LockRequest("digest", Duration.ZERO, LEASE, Duration.ofSeconds(10));
        assertThat(request.isExclusive()).isTrue();
        assertThat(request.holdAtLeast()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void permitsBelowOneAndReadWithPermitsAreRefusedNamingTheKey() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LockRequest("exports", Duration.ZERO, LEASE, Duration.ZERO, LockMode.WRITE, 0))
                .withMessageContaining("'permits'").withMessageContaining("'exports'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LockRequest("catalog", Duration.ZERO, LEASE, Duration.ZERO, LockMode.READ, 2))
                .withMessageContaining("'permits'").withMessageContaining("'catalog'");
    }
}
