package dev.ringlock.lock;

import java.lang.reflect.Method;

import dev.ringlock.support.Methods;
import org.jspecify.annotations.Nullable;

/**
 * The key expression of a {@link DistributedLock} method failed, or gave null or a blank key, for the
 * arguments of one call. The method did not run.
 */
public class LockKeyEvaluationException extends IllegalArgumentException {

    private final String method;
    private final String expression;

    public LockKeyEvaluationException(Method method, String expression, String problem, @Nullable Throwable cause) {
        super("@DistributedLock key \"" + expression + "\" on " + Methods.describe(method) + " "
                + problem, cause);
        this.method = Methods.describe(method);
        this.expression = expression;
    }

    /** The annotated method, as {@code Class.method(Params)}. */
    public String method() {
        return method;
    }

    /** The SpEL expression that failed. */
    public String expression() {
        return expression;
    }
}
