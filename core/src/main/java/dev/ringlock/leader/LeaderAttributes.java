package dev.ringlock.leader;

import java.lang.reflect.Method;

import org.springframework.core.KotlinDetector;

/** One {@link LeaderOnly} annotation, parsed and checked once per method. */
record LeaderAttributes(Method method, String group, SkipResult skipResult) {

    /** Whether the method is a Kotlin {@code suspend fun}, which Spring's proxy runs as a Mono or a Flux. */
    boolean suspending() {
        return KotlinDetector.isSuspendingFunction(method);
    }

    /** What a skipped call returns, by the method's return type. */
    enum SkipResult {
        /** {@code null}, for {@code void} and every reference type without an empty form. */
        NULL,
        /** {@link java.util.Optional#empty()}. */
        EMPTY_OPTIONAL,
        /** A {@link java.util.concurrent.CompletableFuture} completed with {@code null}. */
        COMPLETED_STAGE,
        /** An empty {@code Mono}; the leadership is checked on subscription. */
        EMPTY_MONO,
        /** An empty {@code Flux}; the leadership is checked on subscription. */
        EMPTY_FLUX,
        /** An empty Kotlin {@code Flow}; the leadership is checked when the flow is collected. */
        EMPTY_FLOW
    }
}
