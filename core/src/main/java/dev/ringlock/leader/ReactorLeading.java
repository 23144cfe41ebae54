package dev.ringlock.leader;

import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link LeaderOnly} methods returning {@link Mono} or {@link Flux}; only loaded when Reactor is present.
 * The leadership is checked when the result is subscribed to, not when the method is called, and the method
 * body runs then too, as the lock interceptor does for reactive results: an unsubscribed publisher does
 * nothing, and one subscribed on a follower is empty.
 */
final class ReactorLeading {

    private ReactorLeading() {
    }

    static boolean isMono(Class<?> type) {
        return Mono.class.isAssignableFrom(type);
    }

    static boolean isFlux(Class<?> type) {
        return Flux.class.isAssignableFrom(type);
    }

    static Publisher<Object> invoke(MethodInvocation invocation, LeaderAttributes attributes, LeaderOnlyInterceptor.Call call) {
        Flux<Object> deferred = Flux.defer(() -> call.leadership().isLeader() ? proceed(invocation, attributes, call) : Flux.empty());
        return attributes.skipResult() == LeaderAttributes.SkipResult.EMPTY_MONO ? deferred.singleOrEmpty() : deferred;
    }

    @SuppressWarnings("unchecked")
    private static Publisher<Object> proceed(MethodInvocation invocation, LeaderAttributes attributes,
            LeaderOnlyInterceptor.Call call) {
        try {
            Object result = attributes.suspending() ? call.proceedSuspendingAsLeader(invocation)
                    : call.proceedAsLeader(invocation);
            return result != null ? (Publisher<Object>) result : Flux.empty();
        }
        catch (Throwable ex) {
            return Flux.error(ex);
        }
    }
}
