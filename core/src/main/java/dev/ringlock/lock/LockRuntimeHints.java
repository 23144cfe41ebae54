package dev.ringlock.lock;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the lock interceptor looks up at run time that a native image cannot see from the code alone.
 * Registered in {@code META-INF/spring/aot.factories}. The annotated methods themselves are registered
 * through {@link DistributedLock}'s {@code @Reflective}.
 */
final class LockRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        // LockAttributeSource looks Reactor up by name (ClassUtils.isPresent); a name lookup finds only
        // registered types in a native image, and without it a method returning Mono or Flux would count as
        // a plain result: its lock released when the Mono is returned, before it completes
        hints.reflection().registerTypeIfPresent(classLoader, "reactor.core.publisher.Mono");
    }
}
