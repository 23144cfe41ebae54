package dev.ringlock.lock;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;

import dev.ringlock.support.CoroutineContexts;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.flow.Flow;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.Assert;

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

    private static final String FLOW_CLASS_NAME = "kotlinx.coroutines.flow.Flow";

    private CoroutineLocking() {
    }

    static boolean isFlow(Class<?> type) {
        return FLOW_CLASS_NAME.equals(type.getName());
    }

    /** Whether a suspending method's result is a {@code Flow}, which Spring's proxy runs as a {@code Flux}. */
    static boolean returnsFlow(Method method) {
        return isFlow(new MethodParameter(method, -1).getParameterType());
    }

    /** Spring adapts a Flow to a Publisher only with kotlinx-coroutines-reactive present. */
    static boolean flowAdaptable() {
        return flowAdapter() != null;
    }

    private static @Nullable ReactiveAdapter flowAdapter() {
        return ReactiveAdapterRegistry.getSharedInstance().getAdapter(Flow.class);
    }

    /** A {@code Flow} result, held as a {@code Flux} is: acquired when collected, released when the flow ends. */
    static Object invokeFlow(MethodInvocation invocation, LockedCall call) {
        ReactiveAdapter adapter = flowAdapter();
        Assert.state(adapter != null, "no ReactiveAdapter for Flow: checked when the method was declared");
        MethodInvocation asPublisher = new PublisherInvocation(invocation, adapter);
        return adapter.fromPublisher(ReactorLocking.invoke(asPublisher, call, false));
    }

    /** The key of the call chain's locks in a coroutine's context. */
    private static final CoroutineContext.Key<?> LOCKS = CoroutineContexts.newKey();

    /**
     * Gives the coroutine that {@code invocation} starts the call chain's locks, installed in {@link LockContext}
     * whenever it runs on a thread.
     */
    static void carryLockContext(MethodInvocation invocation, LockContext.Snapshot locks) {
        CoroutineContexts.carry(invocation, LOCKS, () -> LockContext.install(locks)::close);
    }

    /** The method's invocation, with its {@code Flow} result adapted to a {@code Publisher}. */
    private record PublisherInvocation(MethodInvocation delegate, ReactiveAdapter adapter) implements MethodInvocation {

        @Override
        public @Nullable Object proceed() throws Throwable {
            Object flow = delegate.proceed();
            return flow != null ? adapter.toPublisher(flow) : null;
        }

        @Override
        public Method getMethod() {
            return delegate.getMethod();
        }

        @Override
        public Object[] getArguments() {
            return delegate.getArguments();
        }

        @Override
        public @Nullable Object getThis() {
            return delegate.getThis();
        }

        @Override
        public AccessibleObject getStaticPart() {
            return delegate.getStaticPart();
        }
    }
}
