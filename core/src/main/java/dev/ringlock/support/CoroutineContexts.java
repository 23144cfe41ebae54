package dev.ringlock.support;

import kotlin.coroutines.AbstractCoroutineContextElement;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.ThreadContextElement;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * Thread-local state carried into a Kotlin coroutine that a Spring proxy starts for a {@code suspend fun};
 * only loaded when Kotlin is present.
 * <p>
 * Spring's proxy starts the coroutine in the context of the invocation's trailing {@link Continuation}:
 * {@link #carry} replaces it by one whose context adds an element that puts the state in place whenever the
 * coroutine runs on a thread and takes it away when it suspends (the proxy awaits the result with its own,
 * unchanged, continuation).
 */
public final class CoroutineContexts {

    private CoroutineContexts() {
    }

    /** State put in place on the thread the coroutine runs on; returns what takes it away again. */
    @FunctionalInterface
    public interface ThreadState {
        Runnable install();
    }

    /** A key of its own for each kind of state: an inner element of one kind replaces the outer one. */
    public static CoroutineContext.Key<?> newKey() {
        return new CoroutineContext.Key<StateElement>() {
        };
    }

    /** Makes the coroutine that {@code invocation} starts carry {@code state}; a no-op for other invocations. */
    public static void carry(MethodInvocation invocation, CoroutineContext.Key<?> key, ThreadState state) {
        Object[] arguments = invocation.getArguments();
        if (!(invocation instanceof ProxyMethodInvocation proxied) || arguments.length == 0
                || !(arguments[arguments.length - 1] instanceof Continuation<?> continuation)) {
            return;
        }
        Object[] carrying = arguments.clone();
        carrying[carrying.length - 1] = new ContextContinuation<>(continuation, new StateElement(key, state));
        proxied.setArguments(carrying);
    }

    /** The continuation whose context Spring's proxy starts the coroutine in: the caller's, plus the state. */
    private record ContextContinuation<T>(Continuation<T> delegate, CoroutineContext.Element added)
            implements Continuation<T> {

        @Override
        public CoroutineContext getContext() {
            return delegate.getContext().plus(added);
        }

        @Override
        public void resumeWith(Object result) {
            delegate.resumeWith(result);
        }
    }

    private static final class StateElement extends AbstractCoroutineContextElement
            implements ThreadContextElement<Runnable> {

        private final ThreadState state;

        StateElement(CoroutineContext.Key<?> key, ThreadState state) {
            super(key);
            this.state = state;
        }

        @Override
        public Runnable updateThreadContext(CoroutineContext context) {
            return state.install();
        }

        @Override
        public void restoreThreadContext(CoroutineContext context, Runnable undo) {
            undo.run();
        }
    }
}
