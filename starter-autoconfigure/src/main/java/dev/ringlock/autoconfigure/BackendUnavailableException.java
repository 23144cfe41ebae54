package dev.ringlock.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The chosen backend could not be reached at start-up; {@link #property()} names the properties that set its
 * address.
 */
public class BackendUnavailableException extends BackendStartupException {

    public BackendUnavailableException(RinglockBackend backend, String address, String property, Throwable cause) {
        this(backend, address, property, cause.getMessage(), cause);
    }

    public BackendUnavailableException(RinglockBackend backend, String address, String property, String problem) {
        this(backend, address, property, problem, null);
    }

    /** @param problem what went wrong, in more words than {@code cause}'s own message (its root cause, say) */
    public BackendUnavailableException(RinglockBackend backend, String address, String property,
            @Nullable String problem, @Nullable Throwable cause) {
        super("reach", backend, address, property, problem, cause);
    }
}
