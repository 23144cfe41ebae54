package dev.ringlock.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs {@link DistributedLock} methods under their lock, acquired through a {@link LockTemplate}: the
 * application's bean when it defines one, else Ringlock's.
 * <p>
 * The template only acquires. This interceptor keeps the rest: a nested call on a key the call chain already
 * holds re-enters (the template is not asked again), {@link FailureStrategy}, holding the lock until an
 * asynchronous result completes, and {@code ringlock.lock.on-lost} for work that ended after its lock was
 * lost. An annotation with a {@link DistributedLock#leaseTime()} acquires with
 * {@link LockTemplate#tryAcquire(String, Duration, Duration)}: Ringlock's template gives the lock that lease;
 * a template that does not override the method keeps its own lease.
 */
public final class DistributedLockInterceptor implements MethodInterceptor {

    private final LockAttributeSource attributeSource;
    private final LockKeyResolver keyResolver;
    private final SingletonSupplier<LockTemplate> template;
    private final SingletonSupplier<Duration> defaultWaitTime;
    private final SingletonSupplier<LockLostPolicy> lostPolicy;

    /**
     * An interceptor whose methods throw {@link LockLostException} when their lock was lost while they ran
     * (the default of {@code ringlock.lock.on-lost}).
     * @param defaultWaitTime the wait of annotations that name none ({@code ringlock.lock.wait-time})
     * @param beanFactory resolves {@code @bean} references in key expressions; may be null
     */
    public DistributedLockInterceptor(LockTemplate template, Duration defaultWaitTime,
            @Nullable BeanFactory beanFactory) {
        this(() -> template, () -> defaultWaitTime, () -> LockLostPolicy.THROW, beanFactory);
    }

    /**
     * Resolves the template and the settings on the first locked call, so that the advisor, created early to
     * proxy other beans, does not drag the backend's beans into early creation.
     * @param defaultWaitTime the wait of annotations that name none ({@code ringlock.lock.wait-time})
     * @param lostPolicy what a method whose lock was lost while it ran does ({@code ringlock.lock.on-lost})
     * @param beanFactory resolves {@code @bean} references in key expressions; may be null
     */
    public DistributedLockInterceptor(Supplier<? extends LockTemplate> template, Supplier<Duration> defaultWaitTime,
            Supplier<LockLostPolicy> lostPolicy, @Nullable BeanFactory beanFactory) {
        this.attributeSource = new LockAttributeSource();
        this.keyResolver = new LockKeyResolver(beanFactory);
        this.template = SingletonSupplier.of(template::get);
        this.defaultWaitTime = SingletonSupplier.of(defaultWaitTime);
        this.lostPolicy = SingletonSupplier.of(lostPolicy);
    }

    LockAttributeSource attributeSource() {
        return attributeSource;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = invocation.getThis() != null ? AopUtils.getTargetClass(invocation.getThis()) : null;
        LockAttributes attributes = attributeSource.find(invocation.getMethod(), targetClass);
        if (attributes == null) {
            return invocation.proceed();
        }
        List<String> keys = keyResolver.resolve(attributes, invocation);
        Optional<LockHandle> reentered = LockedCall.reentered(keys, attributes.mode());
        if (reentered.isPresent()) {
            try (LockContext.Scope ignored = LockContext.enter(reentered.get())) {
                return invocation.proceed();
            }
        }
        LockedCall call = new LockedCall(template.obtain(), attributes, keys,
                attributes.waitTime() != null ? attributes.waitTime() : defaultWaitTime.obtain(), lostPolicy.obtain());
        return switch (attributes.resultKind()) {
            case PLAIN -> invokePlain(invocation, call);
            case COMPLETION_STAGE -> invokeCompletionStage(invocation, call);
            case REACTOR, SUSPENDING, SUSPENDING_FLOW -> ReactorLocking.invoke(invocation, call);
            case FLOW -> CoroutineLocking.invokeFlow(invocation, call);
        };
    }

    private static @Nullable Object invokePlain(MethodInvocation invocation, LockedCall call) throws Throwable {
        Optional<LockHandle> acquired = call.tryAcquire();
        if (acquired.isEmpty()) {
            return notAcquired(call);
        }
        LockHandle handle = acquired.get();
        Object result = proceedHolding(invocation, call, handle);
        call.releaseAfterWork(handle);
        return result;
    }

    private static @Nullable Object invokeCompletionStage(MethodInvocation invocation, LockedCall call)
            throws Throwable {
        Optional<LockHandle> acquired = call.tryAcquire();
        if (acquired.isEmpty()) {
            return call.attributes().onFailure() == FailureStrategy.SKIP ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(call.notAcquired());
        }
        LockHandle handle = acquired.get();
        Object result = proceedHolding(invocation, call, handle);
        if (result == null) {
            call.releaseAfterWork(handle);
            return null;
        }
        return ((CompletionStage<?>) result).handle((value, failure) -> {
            if (failure != null) {
                handle.close();
                throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
            }
            call.releaseAfterWork(handle);
            return value;
        });
    }

    /** Runs the method with {@code handle} as the current lock; releases it if the method throws. */
    private static @Nullable Object proceedHolding(MethodInvocation invocation, LockedCall call, LockHandle handle)
            throws Throwable {
        try (LockContext.Scope ignored = call.enter(handle)) {
            return invocation.proceed();
        }
        catch (Throwable ex) {
            handle.close();
            throw ex;
        }
    }

    private static @Nullable Object notAcquired(LockedCall call) {
        if (call.attributes().onFailure() == FailureStrategy.THROW) {
            throw call.notAcquired();
        }
        Method method = call.attributes().method();
        return method.getReturnType() == Optional.class ? Optional.empty() : null;
    }
}
