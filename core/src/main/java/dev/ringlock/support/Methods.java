package dev.ringlock.support;

import java.lang.reflect.Method;

/**
 * How error messages name an annotated method.
 */
public final class Methods {

    private Methods() {
    }

    /** {@code com.example.Reports.nightly(LocalDate, String)}: the declaring class, the name and the parameter types. */
    public static String describe(Method method) {
        StringBuilder sb = new StringBuilder(method.getDeclaringClass().getName()).append('.').append(method.getName())
                .append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            sb.append(i > 0 ? ", " : "").append(types[i].getSimpleName());
        }
        return sb.append(')').toString();
    }
}
