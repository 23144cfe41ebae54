package dev.ringlock.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@link BackendSelection} picks {@link #value()} for {@link #feature()}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnBackendCondition.class)
@interface ConditionalOnBackend {

    /** The feature: {@code lock}, {@code counter}, {@code ring} or {@code leader}. */
    String feature();

    RinglockBackend value();
}
