package dev.ringlock.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The chosen backend failed Ringlock at start-up: the backend, where Ringlock looked for it, and the property
 * to review, which its failure analyzer names.
 */
public abstract class BackendStartupException extends IllegalStateException {

    private final RinglockBackend backend;
    private final String address;
    private final String property;

    /** @param failure what Ringlock could not do, as a verb phrase before the backend ("reach", "log in to") */
    protected BackendStartupException(String failure, RinglockBackend backend, String address, String property,
            @Nullable String problem, @Nullable Throwable cause) {
        super("Ringlock could not " + failure + " " + backend.id() + " at " + address + ": " + problem, cause);
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

    /** The property (or properties) to review. */
    public String property() {
        return property;
    }
}
