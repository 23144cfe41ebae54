package dev.ringlock.lock;

import dev.ringlock.support.CoroutineContexts;
import dev.ringlock.support.KotlinFlows;
import kotlin.coroutines.CoroutineContext;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Kotlin coroutines under {@link DistributedLock}; only loaded when Kotlin is present.
 * <p>
 * Spring's proxy runs a {@code suspend fun} as a {@code Mono} (a {@code Flux} for a {@code Flow} result) in the
 * caller's coroutine context, and awaits it; so a suspending method is locked as a reactive one
 * ({@link ReactorLocking}): held until the coroutine completes, fails or is cancelled, on whatever threads it ran.
 * What the reactive path cannot give, the handle on the threads the coroutine resumes on, comes from an element
 * added to the context the proxy starts the coroutine in ({@link CoroutineContexts}).
 */
final class CoroutineLocking {

    /** The key of the call chain's locks in a coroutine's context. */
    private static final CoroutineContext.Key<?> LOCKS = CoroutineContexts.newKey();

    private CoroutineLocking() {
    }

    /** A {@code Flow} result, held as a {@code Flux} is: acquired when collected, released when the flow ends. */
    static Object invokeFlow(MethodInvocation invocation, LockedCall call) {
        return KotlinFlows.around(invocation, asPublisher -> ReactorLocking.invoke(asPublisher, call, false));
    }

    /**
     * Gives the coroutine that {@code invocation} starts the call chain's locks, installed in {@link LockContext}
     * whenever it runs on a thread.
     */
    static void carryLockContext(MethodInvocation invocation, LockContext.Snapshot locks) {
        CoroutineContexts.carry(invocation, LOCKS, () -> LockContext.install(locks)::close);
    }
}
