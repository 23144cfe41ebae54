package dev.ringlock.autoconfigure;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.HeldLocks;
import dev.ringlock.lock.LockObservations;
import dev.ringlock.lock.TrackedLockProvider;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.DistributedLockInterceptor;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockTemplate;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Distributed locks: the {@link LockProvider} of the chosen backend, the {@link LockTemplate}, and the
 * advisor that runs {@code @DistributedLock} methods under their lock. The template's locks are listed in
 * {@link HeldLocks} while held, and observed (see {@link LockObservations}) when the application has an
 * {@link ObservationRegistry}.
 * <p>
 * {@code @DistributedLock} methods acquire through the {@link LockTemplate} bean: an application that defines
 * its own replaces Ringlock's for the annotation as well (see {@link DistributedLockInterceptor}).
 */
@AutoConfiguration(after = {RinglockAutoConfiguration.class, ZooKeeperClientAutoConfiguration.class},
        afterName = {"org.springframework.boot.autoconfigure.aop.AopAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@Import({RedisLockConfiguration.class, ZooKeeperLockConfiguration.class, LocalLockConfiguration.class,
        LockAutoConfiguration.ProxyCreatorRegistrar.class})
public final class LockAutoConfiguration {

    static final String FEATURE = "lock";

    @Bean
    @ConditionalOnMissingBean(LockTemplate.class)
    DefaultLockTemplate lockTemplate(RinglockProperties properties, ObjectProvider<LockProvider> providers,
            HeldLocks heldLocks, ObjectProvider<ObservationRegistry> observationRegistry, Environment environment,
            ListableBeanFactory beanFactory) {
        LockProvider provider = providers.getIfUnique();
        if (provider == null) {
            throw noProvider(environment, beanFactory);
        }
        return templateFor(provider, heldLocks, observationRegistry.getIfAvailable(), properties);
    }

    @Bean
    @ConditionalOnMissingBean
    HeldLocks ringlockHeldLocks() {
        return new HeldLocks();
    }

    /**
     * The advice of {@code @DistributedLock} methods. It acquires through the application's
     * {@link LockTemplate} bean, this configuration's or one of the application's own, so the annotation and
     * the template share the one bean a user may replace.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static DistributedLockAdvisor distributedLockAdvisor(ObjectProvider<LockTemplate> templates,
            ObjectProvider<RinglockProperties> properties, ListableBeanFactory beanFactory) {
        // Everything is looked up lazily: the advisor is created before the beans it proxies, and must not
        // pull the backend's beans into early creation.
        return new DistributedLockAdvisor(new DistributedLockInterceptor(templates::getObject,
                () -> properties.getObject().getLock().getWaitTime(),
                () -> properties.getObject().getLock().getOnLost(), beanFactory));
    }

    private static DefaultLockTemplate templateFor(LockProvider provider, HeldLocks heldLocks,
            @Nullable ObservationRegistry observationRegistry, RinglockProperties properties) {
        LockObservations observations = observationRegistry == null || observationRegistry.isNoop() ? null
                : new LockObservations(observationRegistry, provider.backend());
        return new DefaultLockTemplate(new TrackedLockProvider(provider, heldLocks, observations),
                properties.getLock().getLeaseTime(), properties.getLock().getOnLost());
    }

    private static NoBackendException noProvider(Environment environment, ListableBeanFactory beanFactory) {
        return NoBackendException.forFeature(FEATURE, environment, beanFactory, "");
    }

    /**
     * Makes sure {@code @DistributedLock} and {@code @LeaderOnly} methods get proxied (imported by
     * {@link LeaderAutoConfiguration} too), honouring Spring Boot's AOP properties as its
     * {@code AopAutoConfiguration} does: with {@code spring.aop.auto=false} nothing is registered (the
     * advisor still is, and applies only if the application registers an auto-proxy creator of its own, for
     * example with {@code @EnableAspectJAutoProxy}); otherwise an infrastructure auto-proxy creator is
     * registered unless one exists already (Boot's, when {@code spring-boot-starter-aspectj} is present), and
     * set to proxy classes unless {@code spring.aop.proxy-target-class=false}, which leaves beans with
     * interfaces to JDK proxies.
     */
    static final class ProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar {

        private final Environment environment;

        ProxyCreatorRegistrar(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            if (!environment.getProperty("spring.aop.auto", Boolean.class, true)) {
                return;
            }
            // a no-op when Boot's (or the application's) creator is registered: it ranks above this one
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
            if (environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true)) {
                AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
            }
        }
    }
}
