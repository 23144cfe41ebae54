package dev.ringlock.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Decides which backend serves a feature: the feature's own {@code ringlock.<feature>.backend}, else
 * {@code ringlock.backend}, else what the application has (a ZooKeeper connect string or
 * {@code CuratorFramework} bean first, then a {@code RedisConnectionFactory} bean). {@code local} is never
 * picked by detection.
 */
public final class BackendSelection {

    public static final String CURATOR_FRAMEWORK = "org.apache.curator.framework.CuratorFramework";
    public static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

    private BackendSelection() {
    }

    /** The chosen backend, or null when none is named and none detected (or the name is invalid). */
    static @Nullable RinglockBackend select(String feature, Environment environment,
            @Nullable ListableBeanFactory beanFactory) {
        Binder binder = Binder.get(environment);
        String named = binder.bind("ringlock." + feature + ".backend", String.class)
                .orElseGet(() -> binder.bind("ringlock.backend", String.class).orElse(null));
        if (named != null && !named.isBlank()) {
            // an invalid name selects nothing; binding RinglockProperties then reports it with the valid values
            return parse(named);
        }
        if (binder.bind("ringlock.zookeeper.connect-string", String.class).isBound()
                || hasBean(beanFactory, CURATOR_FRAMEWORK)) {
            return RinglockBackend.ZOOKEEPER;
        }
        if (hasBean(beanFactory, REDIS_CONNECTION_FACTORY)) {
            return RinglockBackend.REDIS;
        }
        return null;
    }

    private static @Nullable RinglockBackend parse(String name) {
        try {
            return RinglockBackend.valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static boolean hasBean(@Nullable ListableBeanFactory beanFactory, String typeName) {
        if (beanFactory == null || !ClassUtils.isPresent(typeName, BackendSelection.class.getClassLoader())) {
            return false;
        }
        Class<?> type = ClassUtils.resolveClassName(typeName, BackendSelection.class.getClassLoader());
        return beanFactory.getBeanNamesForType(type, true, false).length > 0;
    }
}
