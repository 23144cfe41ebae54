package dev.ringlock.leader;

import java.lang.reflect.Method;

import dev.ringlock.support.Methods;

/**
 * A {@link LeaderOnly} annotation that cannot work as written: a blank or unusable group, or a method whose
 * primitive return type leaves nothing to return for a skipped call. Raised when the bean's proxy is created,
 * so the application does not start with it.
 */
public class InvalidLeaderDeclarationException extends IllegalStateException {

    private final String method;

    public InvalidLeaderDeclarationException(Method method, String problem) {
        super("@LeaderOnly on " + Methods.describe(method) + ": " + problem);
        this.method = Methods.describe(method);
    }

    /** The method whose annotation is wrong, as {@code Class.method(Params)}. */
    public String method() {
        return method;
    }
}
