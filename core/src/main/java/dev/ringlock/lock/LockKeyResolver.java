package dev.ringlock.lock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import dev.ringlock.support.Identifiers;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;

/**
 * Evaluates a method's key expression against one call's arguments.
 */
final class LockKeyResolver {

    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private final @Nullable BeanFactoryResolver beanResolver;

    LockKeyResolver(@Nullable BeanFactory beanFactory) {
        this.beanResolver = beanFactory != null ? new BeanFactoryResolver(beanFactory) : null;
    }

    /**
     * The call's keys: one for a key expression that gives a single value, or, for one that gives a Collection or
     * an array, each distinct key once in the order they are acquired in ({@link LockKeys#ordered}). Empty
     * collections and null elements are refused here, naming the key expression, before that order is taken.
     */
    List<String> resolve(LockAttributes attributes, MethodInvocation invocation) {
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(invocation.getThis(),
                attributes.method(), invocation.getArguments(), parameterNames);
        if (beanResolver != null) {
            context.setBeanResolver(beanResolver);
        }
        Object value;
        try {
            value = attributes.key().getValue(context);
        }
        catch (EvaluationException ex) {
            throw new LockKeyEvaluationException(attributes.method(), attributes.keySource(),
                    "failed: " + ex.getMessage(), ex);
        }
        if (value == null) {
            throw new LockKeyEvaluationException(attributes.method(), attributes.keySource(),
                    "gave null; every call needs a key (check the arguments it reads)", null);
        }
        if (value instanceof Collection<?> || value instanceof Object[]) {
            Collection<?> many = value instanceof Collection<?> collection ? collection : Arrays.asList((Object[]) value);
            if (many.isEmpty()) {
                throw new LockKeyEvaluationException(attributes.method(), attributes.keySource(),
                        "gave an empty collection; a call needs at least one key", null);
            }
            List<String> keys = new ArrayList<>(many.size());
            for (Object element : many) {
                if (element == null) {
                    throw new LockKeyEvaluationException(attributes.method(), attributes.keySource(),
                            "gave a collection with a null key: " + many, null);
                }
                keys.add(check(attributes, element.toString()));
            }
            return LockKeys.ordered(keys);
        }
        return List.of(check(attributes, value.toString()));
    }

    private static String check(LockAttributes attributes, String key) {
        if (key.isBlank()) {
            throw new LockKeyEvaluationException(attributes.method(), attributes.keySource(), "gave a blank key", null);
        }
        if (key.length() > LockKeys.MAX_LENGTH) {
            throw new LockKeyEvaluationException(attributes.method(), attributes.keySource(), "gave a key of "
                    + key.length() + " characters; at most " + LockKeys.MAX_LENGTH + " are allowed", null);
        }
        int unpaired = Identifiers.unpairedSurrogate(key);
        if (unpaired >= 0) {
            throw new LockKeyEvaluationException(attributes.method(), attributes.keySource(), "gave a key with an "
                    + "unpaired surrogate at index " + unpaired + ", which is not valid Unicode", null);
        }
        return key;
    }
}
