package dev.ringlock.zookeeper;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/** One caller's operation, completed by whichever thread runs its batch. */
final class PendingCounterOperation {

    final String name;
    final CounterOperation operation;
    /** Written before the batch thread releases the stripe lock, read after the caller took it. */
    boolean done;
    @Nullable Object result;
    @Nullable RuntimeException failure;

    PendingCounterOperation(String name, CounterOperation operation) {
        this.name = name;
        this.operation = operation;
    }

    void complete(@Nullable Object outcome) {
        if (outcome instanceof RuntimeException ex) {
            failure = ex;
        }
        else {
            result = outcome;
        }
        done = true;
    }

    void fail(RuntimeException ex) {
        failure = ex;
        done = true;
    }

    Object result() {
        if (failure != null) {
            throw failure;
        }
        return Objects.requireNonNull(result);
    }
}
