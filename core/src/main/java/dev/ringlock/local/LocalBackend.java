package dev.ringlock.local;

/**
 * The in-JVM backend's name, in one place.
 */
public final class LocalBackend {

    /**
     * The backend's name, as every {@code backend()} of this module answers it and as it appears in properties
     * ({@code ringlock.backend=local}), logs, metrics tags and exception messages.
     */
    public static final String NAME = "local";

    private LocalBackend() {
    }
}
