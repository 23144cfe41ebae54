package dev.ringlock.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The chosen backend could not be reached at start-up.
 */
public class BackendUnavailableException extends IllegalStateException {

    private final RinglockBackend backend;
    private final String address;
    private final String property;

    public BackendUnavailableException(RinglockBackend backend, String address, String property, Throwable cause) {
        this(backend, address, property, cause.getMessage(), cause);
    }

    public BackendUnavailableException(RinglockBackend backend, String address, String property, String problem) {
        this(backend, address, property, problem, null);
    }

    /** @param problem what went wrong, in more words than {@code cause}'s own message (its root cause, say) */
    public BackendUnavailableException(RinglockBackend backend, String address, String property,
            @Nullable String problem, @Nullable Throwable cause) {
        super("Ringlock could not reach " + backend.id() + " at " + address + ": " + problem, cause);
        this.backend = backend;
        this.address = address;
        this.property = property;
    }

    public RinglockBackend backend() {
        return backend;
    }

    /** Where Ringlock looked for the server. */
    public String address() {
        return address;
    }

    /** The property (or properties) that set the address. */
    public String property() {
        return property;
    }
}
