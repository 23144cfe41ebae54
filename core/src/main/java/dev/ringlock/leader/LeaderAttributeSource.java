package dev.ringlock.leader;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.ringlock.support.Identifiers;
import dev.ringlock.support.KotlinFlows;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds {@link LeaderOnly} on methods and turns it into checked {@link LeaderAttributes}, once per method and
 * target class. A wrong declaration fails here, when the proxy is created at start-up.
 */
final class LeaderAttributeSource {


    private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
            LeaderAttributeSource.class.getClassLoader());

    private static final Optional<LeaderAttributes> NONE = Optional.empty();

    private final Map<MethodClassKey, Optional<LeaderAttributes>> cache = new ConcurrentHashMap<>();

    /** The attributes of {@code method} as invoked on {@code targetClass}, or null if it is not annotated. */
    @Nullable LeaderAttributes find(Method method, @Nullable Class<?> targetClass) {
        return cache.computeIfAbsent(new MethodClassKey(method, targetClass), k -> parse(method, targetClass))
                .orElse(null);
    }

    private static Optional<LeaderAttributes> parse(Method method, @Nullable Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        LeaderOnly annotation = AnnotatedElementUtils.findMergedAnnotation(specific, LeaderOnly.class);
        if (annotation == null && specific != method) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method, LeaderOnly.class);
        }
        if (annotation == null) {
            return NONE;
        }
        return Optional.of(new LeaderAttributes(specific, group(specific, annotation.group()), skipResult(specific)));
    }

    private static String group(Method method, String group) {
        if (group.isBlank()) {
            throw new InvalidLeaderDeclarationException(method, "'group' must not be blank; name the election, e.g. "
                    + "@LeaderOnly(group = \"reports\")");
        }
        try {
            return Identifiers.requireValid("group", group);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidLeaderDeclarationException(method, ex.getMessage());
        }
    }

    private static LeaderAttributes.SkipResult skipResult(Method method) {
        Class<?> returnType = method.getReturnType();
        if (returnType.isPrimitive() && returnType != void.class) {
            throw new InvalidLeaderDeclarationException(method, "a call skipped on a non-leader needs a result, but "
                    + returnType + " cannot be null; return a wrapper type, Optional or void");
        }
        if (REACTOR_PRESENT && KotlinDetector.isSuspendingFunction(method)) {
            // Spring's proxy runs a suspend fun as a Mono, or a Flux for a Flow result, and awaits it
            return KotlinFlows.returnsFlow(method) ? LeaderAttributes.SkipResult.EMPTY_FLUX
                    : LeaderAttributes.SkipResult.EMPTY_MONO;
        }
        if (KotlinFlows.isFlow(returnType)) {
            if (!REACTOR_PRESENT || !KotlinFlows.adaptable()) {
                throw new InvalidLeaderDeclarationException(method, "a Flow result is checked for leadership when it is "
                        + "collected, which needs org.jetbrains.kotlinx:kotlinx-coroutines-reactor on the class path");
            }
            return LeaderAttributes.SkipResult.EMPTY_FLOW;
        }
        if (returnType == Optional.class) {
            return LeaderAttributes.SkipResult.EMPTY_OPTIONAL;
        }
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            return LeaderAttributes.SkipResult.COMPLETED_STAGE;
        }
        if (REACTOR_PRESENT && ReactorLeading.isMono(returnType)) {
            return LeaderAttributes.SkipResult.EMPTY_MONO;
        }
        if (REACTOR_PRESENT && ReactorLeading.isFlux(returnType)) {
            return LeaderAttributes.SkipResult.EMPTY_FLUX;
        }
        return LeaderAttributes.SkipResult.NULL;
    }
}
