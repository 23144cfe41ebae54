package dev.ringlock.support;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.function.BiPredicate;

import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * The pointcut of one of Ringlock's method annotations. It skips classes that cannot carry the annotation
 * ({@code java.*}, Spring's own) before any of their methods is read, and leaves the decision for a method to the
 * feature's attribute source, which parses and checks the annotation, so that a wrong declaration fails while
 * the bean is created.
 */
public final class AnnotatedMethodPointcut extends StaticMethodMatcherPointcut {

    private final BiPredicate<Method, Class<?>> annotated;

    /** @param annotated whether {@code method}, as invoked on {@code targetClass}, carries a valid annotation */
    public AnnotatedMethodPointcut(Class<? extends Annotation> annotation, BiPredicate<Method, Class<?>> annotated) {
        this.annotated = annotated;
        setClassFilter(candidate -> AnnotationUtils.isCandidateClass(candidate, annotation));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        return annotated.test(method, targetClass);
    }
}
