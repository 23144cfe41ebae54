package dev.ringlock.lock;

import java.lang.reflect.Method;

import dev.ringlock.support.Methods;

/**
 * A {@link DistributedLock} annotation that cannot work as written: an unparsable key expression or
 * duration, or {@link FailureStrategy#SKIP} on a method returning a primitive. Raised when the bean is
 * created, so the application does not start with it.
 */
public class InvalidLockDeclarationException extends IllegalStateException {

    private final String method;

    public InvalidLockDeclarationException(Method method, String problem, Throwable cause) {
        super("@DistributedLock on " + Methods.describe(method) + ": " + problem, cause);
        this.method = Methods.describe(method);
    }

    /** The method whose annotation is wrong, as {@code Class.method(Params)}. */
    public String method() {
        return method;
    }
}
