package dev.ringlock.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.ringlock.support.Durations;
import dev.ringlock.support.KotlinFlows;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.ast.StringLiteral;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * Finds {@link DistributedLock} on methods and turns it into checked {@link LockAttributes}, once per
 * method and target class. A wrong declaration fails here, when the proxy is created at start-up.
 */
final class LockAttributeSource {

    private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
            LockAttributeSource.class.getClassLoader());

    /** Spring's proxy runs a suspending method as a Mono only with kotlinx-coroutines-reactor present. */
    private static final boolean COROUTINES_REACTOR_PRESENT = ClassUtils.isPresent(
            "kotlinx.coroutines.reactor.MonoKt", LockAttributeSource.class.getClassLoader());

    /** By name: the Kotlin classes are only loaded for Kotlin methods. */

    private static final Optional<LockAttributes> NONE = Optional.empty();

    private final SpelExpressionParser parser = new SpelExpressionParser();
    private final Map<MethodClassKey, Optional<LockAttributes>> cache = new ConcurrentHashMap<>();
    /** Literal keys seen so far, with their number of permits. */
    private final Map<String, Integer> literalKeys = new ConcurrentHashMap<>();

    /** The attributes of {@code method} as invoked on {@code targetClass}, or null if it is not annotated. */
    @Nullable LockAttributes find(Method method, @Nullable Class<?> targetClass) {
        return cache.computeIfAbsent(new MethodClassKey(method, targetClass), k -> parse(method, targetClass)).orElse(null);
    }

    private Optional<LockAttributes> parse(Method method, @Nullable Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        DistributedLock annotation = AnnotatedElementUtils.findMergedAnnotation(specific, DistributedLock.class);
        if (annotation == null && specific != method) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLock.class);
        }
        if (annotation == null) {
            return NONE;
        }
        Expression key = parseKey(specific, annotation.key());
        Duration hold = parseHold(specific, annotation.holdAtLeast());
        checkKind(specific, annotation, key, hold);
        return Optional.of(new LockAttributes(specific, annotation.key(), key,
                parseDuration(specific, "waitTime", annotation.waitTime(), true),
                parseDuration(specific, "leaseTime", annotation.leaseTime(), false),
                hold, annotation.onFailure(),
                resultKind(specific, annotation.onFailure()), annotation.mode(), annotation.permits()));
    }

    /** Refuses impossible kinds, and a literal key declared with two numbers of permits. */
    private void checkKind(Method method, DistributedLock annotation, Expression key, @Nullable Duration hold) {
        int permits = annotation.permits();
        if (permits < 1) {
            throw new InvalidLockDeclarationException(method, "'permits' must be at least 1, was " + permits, null);
        }
        if (annotation.mode() == LockMode.READ && permits > 1) {
            throw new InvalidLockDeclarationException(method, "'permits' must be 1 with mode = READ, was " + permits
                    + "; a permit lock uses mode = WRITE", null);
        }
        if (hold != null && (annotation.mode() == LockMode.READ || permits > 1)) {
            throw new InvalidLockDeclarationException(method, "'holdAtLeast' works only with the exclusive lock "
                    + "(mode = WRITE, permits = 1)", null);
        }
        if (key instanceof SpelExpression spel && spel.getAST() instanceof StringLiteral literal) {
            String text = String.valueOf(literal.getLiteralValue().getValue());
            literalKeys.merge(text, permits, (known, given) -> {
                if (!known.equals(given)) {
                    throw new InvalidLockDeclarationException(method, "'permits' = " + given + " for key '" + text
                            + "', which another method declares with " + known + " permits; use one number per key",
                            null);
                }
                return known;
            });
        }
    }

    private Expression parseKey(Method method, String source) {
        if (source.isBlank()) {
            throw new InvalidLockDeclarationException(method, "'key' must not be blank; give a SpEL expression such as "
                    + "\"'order:' + #orderId\"", null);
        }
        try {
            return parser.parseExpression(source);
        }
        catch (ParseException ex) {
            throw new InvalidLockDeclarationException(method, "'key' \"" + source + "\" is not a valid SpEL expression ("
                    + ex.getSimpleMessage() + "); quote literal text, e.g. \"'report:' + #day\"", ex);
        }
    }

    private static @Nullable Duration parseDuration(Method method, String attribute, String value, boolean zeroAllowed) {
        if (value.isBlank()) {
            return null;
        }
        Duration duration;
        try {
            duration = Durations.parse(value);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidLockDeclarationException(method, "'" + attribute + "' \"" + value
                    + "\" is not a duration; write e.g. \"500ms\", \"5s\" or \"PT1M\"", ex);
        }
        if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
            throw new InvalidLockDeclarationException(method, "'" + attribute + "' \"" + value + "\" must be "
                    + (zeroAllowed ? "zero or positive" : "positive"), null);
        }
        return duration;
    }

    /** Zero, like blank, means no hold. */
    private static @Nullable Duration parseHold(Method method, String value) {
        Duration hold = parseDuration(method, "holdAtLeast", value, true);
        return hold == null || hold.isZero() ? null : hold;
    }

    private static LockAttributes.ResultKind resultKind(Method method, FailureStrategy onFailure) {
        Class<?> returnType = method.getReturnType();
        if (onFailure == FailureStrategy.SKIP && returnType.isPrimitive() && returnType != void.class) {
            throw new InvalidLockDeclarationException(method, "onFailure = SKIP needs a result for skipped calls, but "
                    + returnType + " cannot be null; return a wrapper type or Optional, or use THROW", null);
        }
        if (KotlinDetector.isSuspendingFunction(method)) {
            if (!COROUTINES_REACTOR_PRESENT || !REACTOR_PRESENT) {
                throw new InvalidLockDeclarationException(method, "a suspend fun is locked until its coroutine "
                        + "completes, which needs org.jetbrains.kotlinx:kotlinx-coroutines-reactor on the class path", null);
            }
            return KotlinFlows.returnsFlow(method) ? LockAttributes.ResultKind.SUSPENDING_FLOW
                    : LockAttributes.ResultKind.SUSPENDING;
        }
        if (KotlinFlows.isFlow(returnType)) {
            if (!KotlinFlows.adaptable()) {
                throw new InvalidLockDeclarationException(method, "a Flow result is locked until the flow completes, "
                        + "which needs org.jetbrains.kotlinx:kotlinx-coroutines-reactor on the class path", null);
            }
            return LockAttributes.ResultKind.FLOW;
        }
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            return LockAttributes.ResultKind.COMPLETION_STAGE;
        }
        if (REACTOR_PRESENT && ReactorLocking.isReactorType(returnType)) {
            return LockAttributes.ResultKind.REACTOR;
        }
        return LockAttributes.ResultKind.PLAIN;
    }
}
