package dev.ringlock.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;

/**
 * Runs {@link DistributedLock} methods under their lock.
 */
public final class DistributedLockInterceptor implements MethodInterceptor {

    private final LockAttributeSource attributeSource;
    private final LockKeyResolver keyResolver;
    private final DefaultLockTemplate template;
    private final Duration defaultWaitTime;

    public DistributedLockInterceptor(DefaultLockTemplate template, Duration defaultWaitTime,
            @Nullable BeanFactory beanFactory) {
        this(new LockAttributeSource(), template, defaultWaitTime, beanFactory);
    }

    DistributedLockInterceptor(LockAttributeSource attributeSource, DefaultLockTemplate template,
            Duration defaultWaitTime, @Nullable BeanFactory beanFactory) {
        this.attributeSource = attributeSource;
        this.keyResolver = new LockKeyResolver(beanFactory);
        this.template = template;
        this.defaultWaitTime = defaultWaitTime;
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
        Optional<LockHandle> reentered = LockContext.heldInChain(key);
        if (reentered.isPresent()) {
            try (LockContext.Scope ignored = LockContext.enter(reentered.get())) {
                return invocation.proceed();
            }
        }
        LockRequest request = new LockRequest(key, attributes.waitTime() != null ? attributes.waitTime() : defaultWaitTime,
                attributes.leaseTime() != null ? attributes.leaseTime() : template.defaultLeaseTime());
        return switch (attributes.resultKind()) {
            case PLAIN -> invokePlain(invocation, attributes, request);
            case COMPLETION_STAGE -> invokeCompletionStage(invocation, attributes, request);
            case REACTOR -> ReactorLocking.invoke(invocation, attributes, request, template);
        };
    }

    private @Nullable Object invokePlain(MethodInvocation invocation, LockAttributes attributes, LockRequest request)
            throws Throwable {
        Optional<LockHandle> acquired = template.tryAcquire(request);
        if (acquired.isEmpty()) {
            return notAcquired(attributes, request);
        }
        LockHandle handle = acquired.get();
        Object result;
        try (LockContext.Scope ignored = LockContext.enter(handle)) {
            result = invocation.proceed();
        }
        catch (Throwable ex) {
            handle.close();
            throw ex;
        }
        template.releaseAfterWork(handle);
        return result;
    }

    private @Nullable Object invokeCompletionStage(MethodInvocation invocation, LockAttributes attributes,
            LockRequest request) throws Throwable {
        Optional<LockHandle> acquired = template.tryAcquire(request);
        if (acquired.isEmpty()) {
            return attributes.onFailure() == FailureStrategy.SKIP ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new LockNotAcquiredException(request.key(), request.waitTime()));
        }
        LockHandle handle = acquired.get();
        Object result;
        try (LockContext.Scope ignored = LockContext.enter(handle)) {
            result = invocation.proceed();
        }
        catch (Throwable ex) {
            handle.close();
            throw ex;
        }
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

    private static @Nullable Object notAcquired(LockAttributes attributes, LockRequest request) {
        if (attributes.onFailure() == FailureStrategy.THROW) {
            throw new LockNotAcquiredException(request.key(), request.waitTime());
        }
        Method method = attributes.method();
        return method.getReturnType() == Optional.class ? Optional.empty() : null;
    }
}
