package dev.ringlock.lock;

import java.lang.reflect.Method;

/**
 * A {@link DistributedLock} annotation that cannot work as written: an unparsable key expression or
 * duration, or {@link FailureStrategy#SKIP} on a method returning a primitive. Raised when the bean is
 * created, so the application does not start with it.
 */
public class InvalidLockDeclarationException extends IllegalStateException {

    private final String method;

    public InvalidLockDeclarationException(Method method, String problem, Throwable cause) {
        super("@DistributedLock on " + describe(method) + ": " + problem, cause);
        this.method = describe(method);
    }

    /** The method whose annotation is wrong, as {@code Class.method(Params)}. */
    public String method() {
        return method;
    }

    static String describe(Method method) {
        StringBuilder sb = new StringBuilder(method.getDeclaringClass().getName()).append('.').append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            sb.append(i > 0 ? ", " : "").append(types[i].getSimpleName());
        }
        return sb.append(')').toString();
    }
}
