package dev.ringlock.lock;

import java.lang.reflect.Method;
import java.time.Duration;
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
 * Runs {@link DistributedLock} methods under their lock.
 */
public final class DistributedLockInterceptor implements MethodInterceptor {

    private final LockAttributeSource attributeSource;
    private final LockKeyResolver keyResolver;
    private final SingletonSupplier<DefaultLockTemplate> template;
    private final Supplier<Duration> defaultWaitTime;

    /**
     * @param defaultWaitTime the wait of annotations that name none ({@code ringlock.lock.wait-time})
     * @param beanFactory resolves {@code @bean} references in key expressions; may be null
     */
    public DistributedLockInterceptor(DefaultLockTemplate template, Duration defaultWaitTime,
            @Nullable BeanFactory beanFactory) {
        this(() -> template, () -> defaultWaitTime, beanFactory);
    }

    /**
     * Resolves the template on the first locked call, so that the advisor, created early to proxy other
     * beans, does not drag the backend's beans into early creation.
     */
    public DistributedLockInterceptor(Supplier<DefaultLockTemplate> template, Supplier<Duration> defaultWaitTime,
            @Nullable BeanFactory beanFactory) {
        this.attributeSource = new LockAttributeSource();
        this.keyResolver = new LockKeyResolver(beanFactory);
        this.template = SingletonSupplier.of(template);
        this.defaultWaitTime = SingletonSupplier.of(defaultWaitTime);
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
        String key = keyResolver.resolve(attributes, invocation);
        DefaultLockTemplate template = this.template.obtain();
        Optional<LockHandle> reentered = LockContext.heldInChain(key);
        if (reentered.isPresent()) {
            try (LockContext.Scope ignored = LockContext.enter(reentered.get())) {
                return invocation.proceed();
            }
        }
        LockRequest request = new LockRequest(key,
                attributes.waitTime() != null ? attributes.waitTime() : defaultWaitTime.get(),
                attributes.leaseTime() != null ? attributes.leaseTime() : template.defaultLeaseTime());
        return switch (attributes.resultKind()) {
            case PLAIN -> invokePlain(invocation, attributes, request, template);
            case COMPLETION_STAGE -> invokeCompletionStage(invocation, attributes, request, template);
            case REACTOR -> ReactorLocking.invoke(invocation, attributes, request, template);
        };
    }

    private static @Nullable Object invokePlain(MethodInvocation invocation, LockAttributes attributes,
            LockRequest request, DefaultLockTemplate template) throws Throwable {
        Optional<LockHandle> acquired = template.tryAcquire(request);
        if (acquired.isEmpty()) {
            return notAcquired(attributes, request);
        }
        LockHandle handle = acquired.get();
        Object result = proceedHolding(invocation, handle);
        template.releaseAfterWork(handle);
        return result;
    }

    private static @Nullable Object invokeCompletionStage(MethodInvocation invocation, LockAttributes attributes,
            LockRequest request, DefaultLockTemplate template) throws Throwable {
        Optional<LockHandle> acquired = template.tryAcquire(request);
        if (acquired.isEmpty()) {
            return attributes.onFailure() == FailureStrategy.SKIP ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new LockNotAcquiredException(request.key(), request.waitTime()));
        }
        LockHandle handle = acquired.get();
        Object result = proceedHolding(invocation, handle);
        if (result == null) {
            template.releaseAfterWork(handle);
            return null;
        }
        return ((CompletionStage<?>) result).handle((value, failure) -> {
            if (failure != null) {
                handle.close();
                throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
            }
            template.releaseAfterWork(handle);
            return value;
        });
    }

    /** Runs the method with {@code handle} as the current lock; releases it if the method throws. */
    private static @Nullable Object proceedHolding(MethodInvocation invocation, LockHandle handle) throws Throwable {
        try (LockContext.Scope ignored = LockContext.enter(handle)) {
            return invocation.proceed();
        }
        catch (Throwable ex) {
            handle.close();
            throw ex;
        }
    }

    private static @Nullable Object notAcquired(LockAttributes attributes, LockRequest request) {
        if (attributes.onFailure() == FailureStrategy.THROW) {
            throw new LockNotAcquiredException(request.key(), request.waitTime());
        }
        Method method = attributes.method();
        return method.getReturnType() == Optional.class ? Optional.empty() : null;
    }
}
