package dev.ringlock.counter;

/**
 * An update was sent, the connection failed before its answer came, and the backend could not be asked
 * again within {@code ringlock.counter.max-retry-time} whether it was applied: the counter may or may not
 * include it. Do not simply retry an update that must count once; read the counter when the backend is back.
 * <p>
 * ZooKeeper first tries to settle the question by reading the write receipts stored with the value, which
 * succeeds whenever the ensemble comes back within the retry time. Redis keeps no receipts, so every update
 * that fails for any reason but Redis's own refusal (overflow, not a counter) reports this.
 */
public class CounterOutcomeUnknownException extends CounterBackendException {

    public CounterOutcomeUnknownException(String name, String backend, Throwable cause) {
        super(name, backend, cause, "The outcome of an update of counter '" + name + "' on " + backend
                + " is unknown: the connection failed before the answer came (" + cause.getMessage()
                + "); read the counter before retrying");
    }
}
