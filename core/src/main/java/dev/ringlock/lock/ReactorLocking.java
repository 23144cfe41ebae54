package dev.ringlock.lock;

import java.util.Optional;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Locking for methods returning {@link Mono} or {@link Flux}; only loaded when Reactor is present.
 * <p>
 * The lock is acquired when the result is subscribed to, not when the method is called, so that an
 * unsubscribed publisher never holds a lock; the method body itself runs inside the lock too, as Spring's
 * reactive transactions do. Acquisition blocks, so it runs on the bounded-elastic scheduler.
 * <p>
 * Every kind is taken as for a plain method ({@link LockedCall#tryAcquire()}): a READ lock, a permit, or the locks
 * on several keys, released when the sequence completes, fails or is cancelled. {@link LockContext} holds the
 * handle (as READ for a READ call) only while the method body runs and builds its publisher, which is the part of a
 * reactive call that runs on the subscribing thread; operators that run later, on other threads, do not see it.
 */
final class ReactorLocking {

    private ReactorLocking() {
    }

    static boolean isReactorType(Class<?> type) {
        return Mono.class.isAssignableFrom(type) || Flux.class.isAssignableFrom(type);
    }

    static Publisher<Object> invoke(MethodInvocation invocation, LockedCall call) {
        return invoke(invocation, call, call.attributes().resultKind().single(call.attributes().method()));
    }

    /**
     * @param single whether the result is a {@link Mono}: a {@code Mono} method, or a {@code suspend fun} whose
     * result is not a {@code Flow}
     */
    static Publisher<Object> invoke(MethodInvocation invocation, LockedCall call, boolean single) {
        // a coroutine resumes on threads of its own dispatcher: it carries the call chain's locks in its context
        LockContext.Snapshot outer = call.attributes().resultKind().suspending()
                ? LockContext.snapshot() : null;
        Mono<LockHandle> acquire = acquire(call);
        // The release runs as the last step of the locked sequence, not in usingWhen's completion hook: an error
        // there (LockLostException) would reach the subscriber wrapped. The hooks only close, idempotently,
        // what an error or a cancellation left held.
        Flux<Object> locked = Flux.usingWhen(acquire,
                handle -> Flux.defer(() -> outer != null ? proceedSuspending(invocation, call, handle, outer)
                                : proceed(invocation, call, handle))
                        .concatWith(Mono.fromRunnable(() -> call.releaseAfterWork(handle))),
                handle -> Mono.fromRunnable(handle::close),
                (handle, error) -> Mono.fromRunnable(handle::close),
                handle -> Mono.fromRunnable(handle::close));
        // not next(): it would cancel the sequence on its value, before the release could check the lock
        return single ? locked.singleOrEmpty() : locked;
    }

    /**
     * Acquires on the bounded-elastic scheduler. A subscriber that cancels while the acquisition still waits (a
     * cancelled coroutine) does not stop the blocking call, and Reactor drops a value that comes after a
     * cancellation without a word: the lock would stay held and renewed by nobody's call. So a handle that comes
     * after the cancellation, or that the cancellation overtook on its way, is closed here.
     */
    private static Mono<LockHandle> acquire(LockedCall call) {
        return Mono.defer(() -> {
            UndeliveredHandle undelivered = new UndeliveredHandle();
            return Mono.fromCallable(() -> undelivered.offer(acquireOrFail(call)))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(Mono::justOrEmpty)
                    .doOnNext(handle -> undelivered.delivered())
                    .doOnCancel(undelivered::cancel);
        });
    }

    /** The handle one acquisition got and has not yet passed on, closed if its subscriber cancels first. */
    private static final class UndeliveredHandle {

        private @Nullable LockHandle pending;
        private boolean cancelled;

        /** The acquisition's result, or nothing (and the handle closed) once the subscriber cancelled. */
        Optional<LockHandle> offer(Optional<LockHandle> handle) {
            synchronized (this) {
                if (!cancelled) {
                    pending = handle.orElse(null);
                    return handle;
                }
            }
            handle.ifPresent(LockHandle::close);
            return Optional.empty();
        }

        synchronized void delivered() {
            pending = null;
        }

        void cancel() {
            LockHandle handle;
            synchronized (this) {
                cancelled = true;
                handle = pending;
                pending = null;
            }
            if (handle != null) {
                handle.close();
            }
        }
    }

    private static Optional<LockHandle> acquireOrFail(LockedCall call) {
        Optional<LockHandle> handle = call.tryAcquire();
        if (handle.isEmpty() && call.attributes().onFailure() == FailureStrategy.THROW) {
            throw call.notAcquired();
        }
        return handle;
    }

    /**
     * Runs a suspending method with the call chain's locks, {@code outer} and this one, in its coroutine's context,
     * where {@link LockContext} finds them on whichever thread the coroutine resumes.
     */
    private static Publisher<Object> proceedSuspending(MethodInvocation invocation, LockedCall call, LockHandle handle,
            LockContext.Snapshot outer) {
        try (LockContext.Scope chain = LockContext.install(outer); LockContext.Scope ignored = call.enter(handle)) {
            CoroutineLocking.carryLockContext(invocation, LockContext.snapshot());
            return proceed(invocation, call, handle);
        }
    }

    @SuppressWarnings("unchecked")
    private static Publisher<Object> proceed(MethodInvocation invocation, LockedCall call, LockHandle handle) {
        // as READ for a READ call, so that a WRITE call made while the method body runs is refused, not re-entered
        try (LockContext.Scope ignored = call.enter(handle)) {
            Object result = invocation.proceed();
            return result != null ? (Publisher<Object>) result : Flux.empty();
        }
        catch (Throwable ex) {
            return Flux.error(ex);
        }
    }
}
