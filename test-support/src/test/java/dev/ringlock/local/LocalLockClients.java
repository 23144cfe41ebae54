package dev.ringlock.local;

import java.time.Duration;
import java.util.Optional;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "clients" of the local lock tests: distinct objects (so that loss events are tracked per client) over
 * one in-JVM {@link LocalLockProvider}, since local locks are shared by the whole process.
 */
final class LocalLockClients {

    private final LocalLockProvider provider = new LocalLockProvider();

    LockProvider newClient() {
        return new SharedClient(provider);
    }

    void assertNothingLeftBehind() {
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
        public Optional<LockHandle> tryAcquire(LockRequest request)
                throws InterruptedException {
            return delegate.tryAcquire(request);
        }
    }
}
