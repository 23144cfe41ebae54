package dev.ringlock.local;

import dev.ringlock.testsupport.contract.AbstractLockContractTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;

/**
 * The lock contract on {@link LocalLockProvider}. Every "client" is the one in-JVM provider: local locks
 * are shared by the whole process. Local locks cannot be lost, so the loss tests do not apply.
 */
class LocalLockContractTests extends AbstractLockContractTests {

    private final LocalLockClients clients = new LocalLockClients();

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }
}
