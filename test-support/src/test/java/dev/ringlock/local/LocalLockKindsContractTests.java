package dev.ringlock.local;

import dev.ringlock.testsupport.contract.AbstractLockKindsContractTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;

/** The lock kinds contract on {@link LocalLockProvider}. */
class LocalLockKindsContractTests extends AbstractLockKindsContractTests {

    private final LocalLockClients clients = new LocalLockClients();

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }
}
