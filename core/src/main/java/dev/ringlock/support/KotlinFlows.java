package dev.ringlock.support;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.function.Function;

import kotlinx.coroutines.flow.Flow;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.Assert;

/**
 * Kotlin {@code Flow} results of intercepted methods, run as the {@code Publisher} Spring's {@link ReactiveAdapter}
 * for {@code Flow} makes of them, so that locks and leadership treat a flow as they treat a {@code Flux}.
 * {@link #isFlow} and {@link #returnsFlow} are safe without Kotlin; the rest is called only for a method whose
 * result is a {@code Flow}, so Kotlin is then present.
 */
public final class KotlinFlows {

    private static final String FLOW_CLASS_NAME = "kotlinx.coroutines.flow.Flow";

    private KotlinFlows() {
    }

    public static boolean isFlow(Class<?> type) {
        return FLOW_CLASS_NAME.equals(type.getName());
    }

    /** Whether a method's result is a {@code Flow}; for a {@code suspend fun}, the result it suspends for. */
    public static boolean returnsFlow(Method method) {
        return isFlow(new MethodParameter(method, -1).getParameterType());
    }

    /** Spring adapts a Flow to a Publisher only with kotlinx-coroutines-reactive present. */
    public static boolean adaptable() {
        return adapter() != null;
    }

    /**
     * Runs {@code around} on {@code invocation} with the method's {@code Flow} result seen as a {@code Publisher},
     * and gives what {@code around} makes of it back as a {@code Flow}.
     */
    public static Object around(MethodInvocation invocation, Function<MethodInvocation, Publisher<?>> around) {
        ReactiveAdapter adapter = adapter();
        Assert.state(adapter != null, "no ReactiveAdapter for Flow: checked when the method was declared");
        return adapter.fromPublisher(around.apply(new PublisherInvocation(invocation, adapter)));
    }

    private static @Nullable ReactiveAdapter adapter() {
        return ReactiveAdapterRegistry.getSharedInstance().getAdapter(Flow.class);
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
