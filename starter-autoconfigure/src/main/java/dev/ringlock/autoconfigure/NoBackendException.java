package dev.ringlock.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * A Ringlock feature has no backend: none was named and none could be detected, or the named one lacks
 * its client (no {@code RedisConnectionFactory}, no ZooKeeper connect string).
 */
public class NoBackendException extends IllegalStateException {

    private final String feature;
    private final @Nullable RinglockBackend backend;
    private final boolean moduleMissing;

    public NoBackendException(String feature, @Nullable RinglockBackend backend, String problem) {
        this(feature, backend, problem, false);
    }

    private NoBackendException(String feature, @Nullable RinglockBackend backend, String problem,
            boolean moduleMissing) {
        super("Ringlock " + feature + " has no backend: " + problem);
        this.feature = feature;
        this.backend = backend;
        this.moduleMissing = moduleMissing;
    }

    /**
     * The exception for {@code feature} whose backend, as {@link BackendSelection} chooses it (none when none
     * was named or detected), could not be set up: it says which module or client is missing. {@code hint}
     * ends the message when nothing was selected.
     */
    static NoBackendException forFeature(String feature, Environment environment, ListableBeanFactory beanFactory,
            String hint) {
        RinglockBackend selected = BackendSelection.select(feature, environment, beanFactory);
        ClassLoader classLoader = BackendSelection.classLoader(beanFactory);
        if (selected != null && !BackendSelection.isModulePresent(selected, classLoader)) {
            return new NoBackendException(feature, selected, selected.id() + " is chosen but ringlock-" + selected.id()
                    + " is not on the classpath", true);
        }
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

    /** The feature without a backend: {@code lock}, {@code counter}, {@code ring} or {@code leader}. */
    public String feature() {
        return feature;
    }

    /** Whether the backend was chosen without its module (ringlock-redis, ringlock-zookeeper) on the classpath. */
    public boolean moduleMissing() {
        return moduleMissing;
    }

    /** The backend that was named but could not be set up, or null when none was named. */
    public @Nullable RinglockBackend backend() {
        return backend;
    }
}
