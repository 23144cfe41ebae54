package dev.ringlock.lock;

import dev.ringlock.support.AnnotatedMethodPointcut;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.core.Ordered;

/**
 * Applies {@link DistributedLockInterceptor} to every bean method annotated with {@link DistributedLock}.
 * Matching parses and checks the annotation, so a wrong declaration fails while the bean is created.
 * <p>
 * The lock wraps the method's other advice by default, {@code @Transactional} included, so that a
 * transaction commits before its lock is released: the next holder sees the committed state.
 */
public final class DistributedLockAdvisor extends AbstractPointcutAdvisor {

    /**
     * The default order: ahead of Spring's transaction, caching and async advisors (which default to
     * {@link Ordered#LOWEST_PRECEDENCE}), so that they run inside the lock.
     */
    public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

    private final DistributedLockInterceptor interceptor;
    private final Pointcut pointcut;

    public DistributedLockAdvisor(DistributedLockInterceptor interceptor) {
        this.interceptor = interceptor;
        setOrder(DEFAULT_ORDER);
        LockAttributeSource attributes = interceptor.attributeSource();
        this.pointcut = new AnnotatedMethodPointcut(DistributedLock.class, (method, targetClass) -> attributes.find(method,
                targetClass) != null);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }
}
