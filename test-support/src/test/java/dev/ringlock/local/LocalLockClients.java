package dev.ringlock.local;

import java.time.Duration;
import java.util.Optional;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.testsupport.contract.LockProviderFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local backend's fixture for the lock contract and the interceptor tests. Its "clients" are distinct
 * objects (so that loss events are tracked per client) over one in-JVM {@link LocalLockProvider}, since local
 * locks are shared by the whole process; they cannot be lost, so the loss tests do not apply. One per test
 * instance, so each test gets a fresh provider.
 */
final class LocalLockClients implements LockProviderFixture {

    private final LocalLockProvider provider = new LocalLockProvider();

    @Override
    public LockProvider createClient(LockLossListener lossListener) {
        return new SharedClient(provider);
    }

    @Override
    public void closeClient(LockProvider client) {
    }

    @Override
    public boolean canLoseLocks() {
        return false;
    }

    @Override
    public void assertNothingLeftBehind(LockProvider client) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(provider.trackedKeys()).as("keys with a holder or waiter").isZero());
    }

    /** A distinct client object per call over the shared provider. */
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
        public boolean supports(LockRequest request) {
            return delegate.supports(request);
        }

        @Override
        public Optional<LockHandle> tryAcquire(LockRequest request)
                throws InterruptedException {
            return delegate.tryAcquire(request);
        }
    }
}
