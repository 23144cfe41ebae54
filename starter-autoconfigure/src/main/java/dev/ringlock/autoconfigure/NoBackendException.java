package dev.ringlock.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A Ringlock feature has no backend: none was named and none could be detected, or the named one lacks
 * its client (no {@code RedisConnectionFactory}, no ZooKeeper connect string).
 */
public class NoBackendException extends IllegalStateException {

    private final String feature;
    private final @Nullable RinglockBackend backend;

    public NoBackendException(String feature, @Nullable RinglockBackend backend, String problem) {
        super("Ringlock " + feature + " has no backend: " + problem);
        this.feature = feature;
        this.backend = backend;
    }

    /** The feature without a backend: {@code lock}, {@code counter} or {@code ring}. */
    public String feature() {
        return feature;
    }

    /** The backend that was named but could not be set up, or null when none was named. */
    public @Nullable RinglockBackend backend() {
        return backend;
    }
}
