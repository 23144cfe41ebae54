package dev.ringlock.local;

import dev.ringlock.testsupport.contract.AbstractCounterContractTests;
import dev.ringlock.counter.CounterStore;

/**
 * The counter contract on {@link LocalCounterStore}. Every "client" is the one in-JVM store: local counters
 * are shared by the whole process, and no other program can write them.
 */
class LocalCounterContractTests extends AbstractCounterContractTests {

    private final LocalCounterStore store = new LocalCounterStore();

    @Override
    protected CounterStore createClient() {
        return store;
    }

    @Override
    protected void closeClient(CounterStore client) {
    }

    @Override
    protected boolean storesValuesOutsideTheJvm() {
        return false;
    }
}
