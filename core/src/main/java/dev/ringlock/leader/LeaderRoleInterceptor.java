package dev.ringlock.leader;

import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Keeps the application context from starting a role bean (a {@link SmartLifecycle} with a type-level
 * {@link LeaderOnly}): its {@code isAutoStartup()} answers false, and a {@code start()} that does not come
 * from its {@link LeaderRole} is ignored, so that only a grant of its group starts it. Stops are not
 * intercepted: whoever stops a running role may.
 */
final class LeaderRoleInterceptor implements MethodInterceptor {

    private static final Log logger = LogFactory.getLog(LeaderRoleInterceptor.class);

    /** Set while a {@link LeaderRole} starts its bean on this thread. */
    private static final ThreadLocal<Boolean> STARTING_AS_ROLE = new ThreadLocal<>();

    /** Starts {@code bean} as its role does, past this interceptor. */
    static void startAsRole(SmartLifecycle bean) {
        STARTING_AS_ROLE.set(Boolean.TRUE);
        try {
            bean.start();
        }
        finally {
            STARTING_AS_ROLE.remove();
        }
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        String name = invocation.getMethod().getName();
        if (name.equals("isAutoStartup")) {
            return false;
        }
        if (name.equals("start") && STARTING_AS_ROLE.get() == null) {
            if (logger.isDebugEnabled()) {
                Object target = invocation.getThis();
                logger.debug("Ignored a start() of the @LeaderOnly role " + (target != null
                        ? AopUtils.getTargetClass(target).getName() : "bean") + ": it starts when its group is granted");
            }
            return null;
        }
        return invocation.proceed();
    }

    /** {@code isAutoStartup()} and {@code start()} of classes with a type-level {@link LeaderOnly}. */
    static final class RolePointcut extends StaticMethodMatcherPointcut {

        RolePointcut() {
            setClassFilter(candidate -> SmartLifecycle.class.isAssignableFrom(candidate)
                    && AnnotatedElementUtils.hasAnnotation(candidate, LeaderOnly.class));
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return method.getParameterCount() == 0
                    && (method.getName().equals("isAutoStartup") || method.getName().equals("start"));
        }
    }
}
