package dev.ringlock.redis;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the Redis backend reads at run time that a native image (or another closed-world AOT build) cannot
 * see from the code alone. Registered in {@code META-INF/spring/aot.factories}.
 */
final class RedisRuntimeHints implements RuntimeHintsRegistrar {

    /** Where {@link LuaScripts} finds the scripts: beside this package's classes. */
    static final String SCRIPTS = "dev/ringlock/redis/*.lua";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        // LuaScripts reads every script as a class-path resource when the class holding it is initialised
        hints.resources().registerPattern(SCRIPTS);
        // BoundedScripts looks Lettuce up by name (ClassUtils.isPresent) to choose its script channel; a name
        // lookup finds only registered types in a native image, and without it every script would run
        // through the template, bounded only by the client's own timeout
        hints.reflection().registerTypeIfPresent(classLoader, "io.lettuce.core.RedisClient");
    }
}
