package dev.ringlock.leader;

import dev.ringlock.support.AnnotatedMethodPointcut;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.core.Ordered;

/**
 * Applies {@link LeaderOnlyInterceptor} to every bean method annotated with {@link LeaderOnly}. Matching parses
 * and checks the annotation, so a wrong declaration fails while the bean is created.
 * <p>
 * The leadership check wraps the method's other advice by default, Ringlock's locks and Spring's transactions
 * included, so that a follower skips the call before it takes a lock or opens a transaction.
 */
public final class LeaderOnlyAdvisor extends AbstractPointcutAdvisor {

    /** The default order: ahead of {@code DistributedLockAdvisor.DEFAULT_ORDER}, so that the lock runs inside. */
    public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 2000;

    private final LeaderOnlyInterceptor interceptor;
    private final Pointcut pointcut;

    public LeaderOnlyAdvisor(LeaderOnlyInterceptor interceptor) {
        this.interceptor = interceptor;
        setOrder(DEFAULT_ORDER);
        LeaderAttributeSource attributes = interceptor.attributeSource();
        this.pointcut = new AnnotatedMethodPointcut(LeaderOnly.class, (method, targetClass) -> attributes.find(method,
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
