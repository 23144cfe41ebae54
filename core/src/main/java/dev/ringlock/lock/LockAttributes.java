package dev.ringlock.lock;

import java.lang.reflect.Method;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.expression.Expression;

/**
 * One {@link DistributedLock} annotation, parsed and checked once per method.
 *
 * @param waitTime null for the configured default
 * @param leaseTime null for the configured default
 * @param holdAtLeast null for no hold
 */
record LockAttributes(Method method, String keySource, Expression key, @Nullable Duration waitTime,
        @Nullable Duration leaseTime, @Nullable Duration holdAtLeast, FailureStrategy onFailure, ResultKind resultKind,
        LockMode mode, int permits) {

    /** How the method's result decides when the lock is released. */
    enum ResultKind {
        /** Released when the method returns or throws. */
        PLAIN,
        /** Held until the returned {@link java.util.concurrent.CompletionStage} completes. */
        COMPLETION_STAGE,
        /** Acquired on subscription and held until the Reactor publisher terminates or is cancelled. */
        REACTOR,
        /**
         * A Kotlin {@code suspend fun}, which Spring's proxy runs as a {@code Mono}: held until the coroutine
         * completes, fails or is cancelled.
         */
        SUSPENDING,
        /** A {@code suspend fun} with a {@code Flow} result, which Spring's proxy runs as a {@code Flux}. */
        SUSPENDING_FLOW,
        /** A Kotlin {@code Flow} result: held until the flow completes, fails or its collection is cancelled. */
        FLOW;

        boolean suspending() {
            return this == SUSPENDING || this == SUSPENDING_FLOW;
        }

        /** Whether the locked publisher carries at most one value. */
        boolean single(Method method) {
            return this == SUSPENDING
                    || (this == REACTOR && reactor.core.publisher.Mono.class.isAssignableFrom(method.getReturnType()));
        }
    }
}
