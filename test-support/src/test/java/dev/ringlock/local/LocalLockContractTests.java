package dev.ringlock.local;

import dev.ringlock.testsupport.contract.AbstractLockContractTests;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockRequest;

/**
 * The lock contract on {@link LocalLockProvider}. Every "client" is the one in-JVM provider: local locks
 * are shared by the whole process. Local locks cannot be lost, so the loss tests do not apply.
 */
class LocalLockContractTests extends AbstractLockContractTests {

    private final LocalLockProvider provider = new LocalLockProvider();

    @Override
    protected LockProvider createClient(LockLossListener lossListener) {
        return new SharedClient(provider);
    }

    @Override
    protected void closeClient(LockProvider client) {
    }

    @Override
    protected boolean canLoseLocks() {
        return false;
    }

    @Override
    protected void assertNothingLeftBehind(LockProvider client) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(provider.trackedKeys()).as("keys with a holder or waiter").isZero());
    }

    /** A distinct client object per call (so loss events are tracked per client) over the shared provider. */
    private static final class SharedClient implements LockProvider {

        private final LocalLockProvider delegate;

        SharedClient(LocalLockProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public String backend() {
            return delegate.backend();
        }

        @Override
        public Optional<LockHandle> tryAcquire(LockRequest request)
                throws InterruptedException {
            return delegate.tryAcquire(request);
        }
    }
}
