package dev.ringlock.autoconfigure;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Decides which backend serves a feature: the feature's own {@code ringlock.<feature>.backend}, else
 * {@code ringlock.backend}, else what the application has (a ZooKeeper connect string or
 * {@code CuratorFramework} bean first, then a {@code RedisConnectionFactory} bean), counting only a backend
 * whose module is on the classpath. {@code local} is never picked by detection.
 * <p>
 * The ring has two rules of its own before its backend: the deprecated {@code ringlock.ring.membership} (when
 * {@code ringlock.ring.backend} is not set), then a non-empty {@code ringlock.ring.nodes}, which selects
 * {@code local}: listed members always make a static ring. The ring's {@code local} backend is a static ring of
 * those nodes (and this instance's self id).
 */
public final class BackendSelection {

    public static final String CURATOR_FRAMEWORK = "org.apache.curator.framework.CuratorFramework";
    public static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

    /**
     * A class of each backend module, which the application has only with that backend's starter: a client
     * library on the classpath for another reason (Curator for Spring Cloud ZooKeeper, Spring Data Redis for
     * caching) must not make Ringlock use, or detect, a backend whose module is missing.
     */
    public static final String RINGLOCK_REDIS = "dev.ringlock.redis.RedisLockProvider";
    public static final String RINGLOCK_ZOOKEEPER = "dev.ringlock.zookeeper.ZooKeeperLockProvider";

    /** The deprecated choice of the ring's backend, replaced by {@code ringlock.ring.backend}. */
    static final String RING_MEMBERSHIP = "ringlock.ring.membership";

    private BackendSelection() {
    }

    /** The chosen backend, or null when none is named and none detected (or the name is invalid). */
    static @Nullable RinglockBackend select(String feature, Environment environment,
            @Nullable ListableBeanFactory beanFactory) {
        Binder binder = Binder.get(environment);
        String named = binder.bind("ringlock." + feature + ".backend", String.class).orElse(null);
        if (feature.equals(RingAutoConfiguration.FEATURE)) {
            String membership = binder.bind(RING_MEMBERSHIP, String.class).orElse(null);
            if (!StringUtils.hasText(named) && StringUtils.hasText(membership)) {
                // an invalid name selects nothing; binding RinglockProperties then reports it
                return ringBackendOfMembership(membership);
            }
            if (!binder.bind("ringlock.ring.nodes", Bindable.listOf(String.class)).orElse(List.of()).isEmpty()) {
                // listed members make a static ring, whatever backend is named for live ones
                return RinglockBackend.LOCAL;
            }
        }
        if (!StringUtils.hasText(named)) {
            named = binder.bind("ringlock.backend", String.class).orElse(null);
        }
        if (StringUtils.hasText(named)) {
            // an invalid name selects nothing; binding RinglockProperties then reports it with the valid values
            return parse(named);
        }
        ClassLoader classLoader = classLoader(beanFactory);
        if (isModulePresent(RinglockBackend.ZOOKEEPER, classLoader) && (binder.bind("ringlock.zookeeper.connect-string",
                String.class).isBound() || hasBean(beanFactory, CURATOR_FRAMEWORK))) {
            return RinglockBackend.ZOOKEEPER;
        }
        if (isModulePresent(RinglockBackend.REDIS, classLoader) && hasBean(beanFactory, REDIS_CONNECTION_FACTORY)) {
            return RinglockBackend.REDIS;
        }
        return null;
    }

    /** Whether the application has the module of {@code backend} (ringlock-redis, ringlock-zookeeper). */
    static boolean isModulePresent(RinglockBackend backend, @Nullable ClassLoader classLoader) {
        return switch (backend) {
            case REDIS -> ClassUtils.isPresent(RINGLOCK_REDIS, classLoader);
            case ZOOKEEPER -> ClassUtils.isPresent(RINGLOCK_ZOOKEEPER, classLoader);
            case LOCAL -> true;
        };
    }

    /** The application's class loader, as the class conditions see it. */
    static @Nullable ClassLoader classLoader(@Nullable ListableBeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableBeanFactory configurable && configurable.getBeanClassLoader() != null) {
            return configurable.getBeanClassLoader();
        }
        return BackendSelection.class.getClassLoader();
    }

    /**
     * The ring backend a value of the deprecated {@code ringlock.ring.membership} stands for: {@code static}
     * is {@code local}; null for a value it never had.
     */
    static @Nullable RinglockBackend ringBackendOfMembership(String membership) {
        String name = membership.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "static" -> RinglockBackend.LOCAL;
            case "zookeeper" -> RinglockBackend.ZOOKEEPER;
            case "redis" -> RinglockBackend.REDIS;
            default -> null;
        };
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
        ClassLoader classLoader = classLoader(beanFactory);
        if (beanFactory == null || !ClassUtils.isPresent(typeName, classLoader)) {
            return false;
        }
        Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
        return beanFactory.getBeanNamesForType(type, true, false).length > 0;
    }
}
