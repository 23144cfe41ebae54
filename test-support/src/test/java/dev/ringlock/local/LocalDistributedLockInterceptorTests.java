package dev.ringlock.local;

import dev.ringlock.testsupport.contract.AbstractDistributedLockInterceptorTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;

/**
 * The {@code @DistributedLock} interceptor on {@link LocalLockProvider}, the backend an application without a
 * server gets. Local locks cannot be lost, so the loss tests do not apply; {@code RedisDistributedLockInterceptorTests}
 * runs them on a real server.
 */
class LocalDistributedLockInterceptorTests extends AbstractDistributedLockInterceptorTests {

    private final LocalLockClients clients = new LocalLockClients();

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }
}
