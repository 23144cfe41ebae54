package dev.ringlock.leader;

import java.lang.reflect.Method;

import dev.ringlock.support.Methods;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LeaderOnly} annotation that cannot work as written: a blank or unusable group, a method whose
 * primitive return type leaves nothing to return for a skipped call, or a type-level annotation on a bean that
 * is not a {@link org.springframework.context.SmartLifecycle}. Raised when the bean or its proxy is created, so
 * the application does not start with it.
 */
public class InvalidLeaderDeclarationException extends IllegalStateException {

    private final @Nullable String method;
    private final String declaredOn;

    /** A wrong annotation on {@code method}. */
    public InvalidLeaderDeclarationException(Method method, String problem) {
        this(Methods.describe(method), Methods.describe(method), problem);
    }

    /** A wrong type-level annotation on the bean {@code beanName} of class {@code beanClass}. */
    public InvalidLeaderDeclarationException(String beanName, Class<?> beanClass, String problem) {
        this(null, "bean '" + beanName + "' (" + beanClass.getName() + ")", problem);
    }

    private InvalidLeaderDeclarationException(@Nullable String method, String declaredOn, String problem) {
        super("@LeaderOnly on " + declaredOn + ": " + problem);
        this.method = method;
        this.declaredOn = declaredOn;
    }

    /** The method whose annotation is wrong, as {@code Class.method(Params)}; null for a type-level annotation. */
    public @Nullable String method() {
        return method;
    }

    /**
     * Where the wrong annotation is: the method as {@code Class.method(Params)}, or the bean as
     * {@code bean 'name' (Class)}.
     */
    public String declaredOn() {
        return declaredOn;
    }
}
