package dev.ringlock.redis;

/**
 * The Redis backend's name, in one place.
 */
public final class RedisBackend {

    /**
     * The backend's name, as every {@code backend()} of this module answers it and as it appears in properties
     * ({@code ringlock.backend=redis}), logs, metrics tags and exception messages.
     */
    public static final String NAME = "redis";

    private RedisBackend() {
    }
}
