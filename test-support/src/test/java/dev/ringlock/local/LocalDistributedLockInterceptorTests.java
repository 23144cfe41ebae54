package dev.ringlock.local;

import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.testsupport.contract.AbstractDistributedLockInterceptorTests;

/**
 * The {@code @DistributedLock} interceptor on {@link LocalLockProvider}, the backend an application without a
 * server gets. Local locks cannot be lost, so the loss tests do not apply; {@code RedisDistributedLockInterceptorTests}
 * runs them on a real server.
 */
class LocalDistributedLockInterceptorTests extends AbstractDistributedLockInterceptorTests {

    private final LocalLockClients clients = new LocalLockClients();

    @Override
    protected LockProvider createClient(LockLossListener lossListener) {
        return clients.newClient();
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
        clients.assertNothingLeftBehind();
    }
}
