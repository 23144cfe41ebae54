package dev.ringlock.counter;

/**
 * The backend failed during a counter operation (connection lost, server error). Unless the exception is a
 * {@link CounterOutcomeUnknownException}, the operation did not change the counter. Check the backend's
 * health; the cause names what failed.
 */
public class CounterBackendException extends RuntimeException {

    private final String name;
    private final String backend;

    public CounterBackendException(String name, String backend, String action, Throwable cause) {
        this(name, backend, cause, backend + " failed while " + action + " counter '" + name + "': " + cause.getMessage()
                + "; check that " + backend + " is reachable");
    }

    /** For subclasses with a message of their own. */
    protected CounterBackendException(String name, String backend, Throwable cause, String message) {
        super(message, cause);
        this.name = name;
        this.backend = backend;
    }

    /** The name of the counter. */
    public String name() {
        return name;
    }

    /** The backend that failed. */
    public String backend() {
        return backend;
    }
}
