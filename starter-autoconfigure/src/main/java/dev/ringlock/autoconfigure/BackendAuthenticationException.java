package dev.ringlock.autoconfigure;

/**
 * The chosen backend answered at start-up but refused Ringlock's credentials.
 */
public class BackendAuthenticationException extends IllegalStateException {

    private final RinglockBackend backend;
    private final String address;
    private final String property;

    public BackendAuthenticationException(RinglockBackend backend, String address, String property, String problem,
            Throwable cause) {
        super("Ringlock could not log in to " + backend.id() + " at " + address + ": " + problem, cause);
        this.backend = backend;
        this.address = address;
        this.property = property;
    }

    public RinglockBackend backend() {
        return backend;
    }

    /** Where Ringlock logged in. */
    public String address() {
        return address;
    }

    /** The property (or properties) that set the credentials. */
    public String property() {
        return property;
    }
}
