package dev.ringlock.local;

import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.testsupport.contract.AbstractLockContractTests;

/**
 * The lock contract on {@link LocalLockProvider}. Every "client" is the one in-JVM provider: local locks
 * are shared by the whole process. Local locks cannot be lost, so the loss tests do not apply.
 */
class LocalLockContractTests extends AbstractLockContractTests {

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
