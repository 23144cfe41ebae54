package dev.ringlock.leader;

import java.util.List;

import dev.ringlock.support.CoroutineContexts;
import kotlin.coroutines.CoroutineContext;
import org.aopalliance.intercept.MethodInvocation;

/**
 * {@link LeaderOnly} on a Kotlin {@code suspend fun}; only loaded when Kotlin is present. The coroutine carries
 * the call chain's leaderships, so that {@link LeaderContext#current()} answers in the suspend body on whichever
 * thread it resumes.
 */
final class CoroutineLeading {

    /** The key of the call chain's leaderships in a coroutine's context. */
    private static final CoroutineContext.Key<?> LEADERSHIPS = CoroutineContexts.newKey();

    private CoroutineLeading() {
    }

    static void carryLeaderContext(MethodInvocation invocation, List<Leadership> leaderships) {
        CoroutineContexts.carry(invocation, LEADERSHIPS, () -> LeaderContext.install(leaderships)::close);
    }
}
