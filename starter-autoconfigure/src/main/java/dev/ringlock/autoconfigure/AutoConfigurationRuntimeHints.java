package dev.ringlock.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the auto-configuration looks up at run time that a native image cannot see from the code alone.
 * Registered in {@code META-INF/spring/aot.factories}.
 * <p>
 * The rest is registered by Spring and Boot: {@link RinglockProperties} as a configuration-properties bean,
 * the failure analyzers as {@code spring.factories} entries, and the actuator endpoint's answer through
 * {@code @ReadOperation}'s binding hints.
 */
final class AutoConfigurationRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        // BackendSelection runs again at run time when a feature finds no backend bean, to say in the
        // NoBackendException what it detected; it looks the client types up by name, and a name lookup finds
        // only registered types in a native image
        hints.reflection().registerTypeIfPresent(classLoader, BackendSelection.CURATOR_FRAMEWORK);
        hints.reflection().registerTypeIfPresent(classLoader, BackendSelection.REDIS_CONNECTION_FACTORY);
    }
}
