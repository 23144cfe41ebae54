package dev.ringlock.local;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.InvalidLockDeclarationException;
import dev.ringlock.lock.LockMode;
import dev.ringlock.testsupport.contract.AbstractLockKindsInterceptorTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The lock kinds through the {@code @DistributedLock} interceptor on {@link LocalLockProvider}; and, once for all
 * backends since no backend is asked, the kind declarations the interceptor refuses.
 */
class LocalLockKindsInterceptorTests extends AbstractLockKindsInterceptorTests {

    private final LocalLockClients clients = new LocalLockClients();

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }

    static class ZeroPermits {
        @DistributedLock(key = "#key", permits = 0)
        public void call(String key) {
        }
    }

    static class ReadWithPermits {
        @DistributedLock(key = "#key", mode = LockMode.READ, permits = 2)
        public void call(String key) {
        }
    }

    static class TwoCountsForOneLiteralKey {
        @DistributedLock(key = "'reports'", permits = 2)
        public void two() {
        }

        @DistributedLock(key = "'reports'", permits = 3)
        public void three() {
        }
    }

    /** Refused when the proxy is made (start-up), or at the first call of a method matched lazily. */
    @Test
    void badKindDeclarationsAreRefusedNamingTheAttribute() {
        assertThat(declarationError(() -> proxy(new ZeroPermits(), newClient()).call("k")))
                .hasMessageContaining("'permits'");
        assertThat(declarationError(() -> proxy(new ReadWithPermits(), newClient()).call("k")))
                .hasMessageContaining("'permits'").hasMessageContaining("READ");
        assertThat(declarationError(() -> {
            TwoCountsForOneLiteralKey twoCounts = proxy(new TwoCountsForOneLiteralKey(), newClient());
            twoCounts.two();
            twoCounts.three();
        })).hasMessageContaining("'reports'").hasMessageContaining("'permits'");
    }

    private static Throwable declarationError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof InvalidLockDeclarationException) {
                return t;
            }
        }
        throw new AssertionError("expected an InvalidLockDeclarationException, got " + thrown, thrown);
    }
}
