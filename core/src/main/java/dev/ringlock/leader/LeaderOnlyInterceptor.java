package dev.ringlock.leader;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.ringlock.support.KotlinFlows;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs {@link LeaderOnly} methods only while this instance's candidacy in their group
 * {@linkplain Leadership#isLeader() leads}, and skips them otherwise, with the empty result of their return
 * type. The group is joined through the {@link LeaderElection} on the first call that names it, if it was not
 * joined before; the leadership is {@link LeaderContext#current()} while the method runs.
 */
public final class LeaderOnlyInterceptor implements MethodInterceptor {

    private final LeaderAttributeSource attributeSource = new LeaderAttributeSource();
    private final SingletonSupplier<LeaderElection> election;

    public LeaderOnlyInterceptor(LeaderElection election) {
        this(() -> election);
    }

    /**
     * Resolves the election on the first leader-only call, so that the advisor, created early to proxy other
     * beans, does not drag the backend's beans into early creation.
     */
    public LeaderOnlyInterceptor(Supplier<? extends LeaderElection> election) {
        this.election = SingletonSupplier.of(election::get);
    }

    LeaderAttributeSource attributeSource() {
        return attributeSource;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = invocation.getThis() != null ? AopUtils.getTargetClass(invocation.getThis()) : null;
        LeaderAttributes attributes = attributeSource.find(invocation.getMethod(), targetClass);
        if (attributes == null) {
            return invocation.proceed();
        }
        Call call = new Call(election.obtain().join(attributes.group()));
        return switch (attributes.skipResult()) {
            case EMPTY_MONO, EMPTY_FLUX -> ReactorLeading.invoke(invocation, attributes, call);
            case EMPTY_FLOW -> KotlinFlows.around(invocation, asPublisher -> ReactorLeading.invoke(asPublisher, attributes, call));
            default -> call.leadership().isLeader() ? call.proceedAsLeader(invocation) : skipped(attributes);
        };
    }

    private static @Nullable Object skipped(LeaderAttributes attributes) {
        return switch (attributes.skipResult()) {
            case EMPTY_OPTIONAL -> Optional.empty();
            case COMPLETED_STAGE -> CompletableFuture.completedFuture(null);
            default -> null;
        };
    }

    /** One leader-only call in its group's candidacy. */
    record Call(Leadership leadership) {

        @Nullable Object proceedAsLeader(MethodInvocation invocation) throws Throwable {
            try (LeaderContext.Scope ignored = LeaderContext.enter(leadership)) {
                return invocation.proceed();
            }
        }

        /** Proceeds with a suspending method, whose coroutine carries the leadership to the threads it runs on. */
        @Nullable Object proceedSuspendingAsLeader(MethodInvocation invocation) throws Throwable {
            try (LeaderContext.Scope ignored = LeaderContext.enter(leadership)) {
                CoroutineLeading.carryLeaderContext(invocation, LeaderContext.snapshot());
                return invocation.proceed();
            }
        }
    }
}
