package dev.ringlock.leader;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.ringlock.support.Identifiers;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds what {@link LeaderOnly} declares on each bean as it is created, for {@link LeaderElectionLifecycle}: the
 * groups its annotated methods name, which are joined at start-up, and, for a type-level annotation, a role (see
 * {@link LeaderOnly}). A method declaration is checked here, so that a wrong one fails when its bean is created
 * even where no auto-proxy creator applies the {@link LeaderOnlyAdvisor}.
 * <p>
 * A role must be a {@link SmartLifecycle}, else {@link InvalidLeaderDeclarationException} naming the bean. It is
 * proxied so that the context does not start it ({@link LeaderRoleInterceptor}): the advice is added to the
 * proxy the bean already has, else the bean gets one of its own, a class proxy when {@code proxyTargetClass} is
 * set (so it stays injectable as its class) unless the class is final, an interface proxy otherwise.
 * <p>
 * Beans created lazily after start-up are seen when they are created: their groups are joined on their first
 * leader-only call, and a lazy role is not run.
 */
public final class LeaderOnlyBeanPostProcessor extends AbstractAdvisingBeanPostProcessor {

    private final LeaderAttributeSource attributes = new LeaderAttributeSource();
    /** Classes known to carry no {@link LeaderOnly}, so that each is inspected once. */
    private final Set<Class<?>> plainClasses = ConcurrentHashMap.newKeySet();
    private final Set<String> groups = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Map<String, LeaderRole> roles = Collections.synchronizedMap(new LinkedHashMap<>());

    /** @param proxyTargetClass whether a role that has no proxy yet gets a class proxy rather than an interface one */
    public LeaderOnlyBeanPostProcessor(boolean proxyTargetClass) {
        this.advisor = new DefaultPointcutAdvisor(new LeaderRoleInterceptor.RolePointcut(), new LeaderRoleInterceptor());
        setBeforeExistingAdvisors(true);
        setProxyTargetClass(proxyTargetClass);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean) {
            return bean;
        }
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (plainClasses.contains(targetClass) || !AnnotationUtils.isCandidateClass(targetClass, LeaderOnly.class)) {
            return bean;
        }
        Map<Method, LeaderAttributes> annotated = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<LeaderAttributes>) method -> attributes.find(method, targetClass));
        LeaderOnly role = AnnotatedElementUtils.findMergedAnnotation(targetClass, LeaderOnly.class);
        if (annotated.isEmpty() && role == null) {
            plainClasses.add(targetClass);
            return bean;
        }
        annotated.values().forEach(method -> groups.add(method.group()));
        if (role == null) {
            return bean;
        }
        if (!(bean instanceof SmartLifecycle)) {
            throw new InvalidLeaderDeclarationException(beanName, targetClass, "a type-level @LeaderOnly makes the bean "
                    + "a role that is started on a grant of its group and stopped on a revoke, so the bean must be a "
                    + "SmartLifecycle; implement SmartLifecycle, or annotate its methods instead");
        }
        String group = roleGroup(beanName, targetClass, role.group());
        Object proxied = super.postProcessAfterInitialization(bean, beanName);
        roles.put(beanName, new LeaderRole(beanName, (SmartLifecycle) proxied, group));
        return proxied;
    }

    /** Also applied to the proxy type the bean factory predicts (and AOT generates), so both agree. */
    @Override
    protected void customizeProxyFactory(ProxyFactory factory) {
        Class<?> targetClass = factory.getTargetClass();
        if (factory.isProxyTargetClass() && targetClass != null && Modifier.isFinal(targetClass.getModifiers())) {
            // a final class cannot be subclassed: its interfaces, SmartLifecycle among them, are proxied instead
            factory.setProxyTargetClass(false);
            evaluateProxyInterfaces(targetClass, factory);
        }
    }

    /** The groups named by the {@link LeaderOnly} methods of the beans created so far, in creation order. */
    public Set<String> groups() {
        synchronized (groups) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(groups));
        }
    }

    /** The roles among the beans created so far, in creation order. */
    List<LeaderRole> roles() {
        synchronized (roles) {
            return List.copyOf(roles.values());
        }
    }

    private static String roleGroup(String beanName, Class<?> beanClass, String group) {
        try {
            return Identifiers.requireValid("group", group);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidLeaderDeclarationException(beanName, beanClass, ex.getMessage()
                    + "; name the election whose leader runs the bean, e.g. @LeaderOnly(group = \"reports\")");
        }
    }
}
