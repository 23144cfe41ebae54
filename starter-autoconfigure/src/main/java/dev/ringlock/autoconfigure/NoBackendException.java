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

    /**
     * The exception for {@code feature} whose backend, {@code selected} (null when none was named or
     * detected), could not be set up: it says which client is missing. {@code hint} ends the message when
     * nothing was selected.
     */
    static NoBackendException forFeature(String feature, @Nullable RinglockBackend selected, String hint) {
        if (selected == RinglockBackend.REDIS) {
            return new NoBackendException(feature, selected,
                    "Redis is chosen but there is no single RedisConnectionFactory bean (is Spring Data Redis on the classpath?)");
        }
        if (selected == RinglockBackend.ZOOKEEPER) {
            return new NoBackendException(feature, selected, "ZooKeeper is chosen but 'ringlock.zookeeper.connect-string' "
                    + "is not set and there is no single CuratorFramework bean (is curator-recipes on the classpath?)");
        }
        return new NoBackendException(feature, null, "none is set and none was detected" + hint);
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
