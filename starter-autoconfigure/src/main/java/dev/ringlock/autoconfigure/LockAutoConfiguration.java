package dev.ringlock.autoconfigure;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.DistributedLockInterceptor;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockTemplate;
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
 * advisor that runs {@code @DistributedLock} methods under their lock.
 */
@AutoConfiguration(after = {RinglockAutoConfiguration.class, ZooKeeperClientAutoConfiguration.class},
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@Import({RedisLockConfiguration.class, ZooKeeperLockConfiguration.class, LocalLockConfiguration.class,
        LockAutoConfiguration.ProxyCreatorRegistrar.class})
public final class LockAutoConfiguration {

    static final String FEATURE = "lock";

    @Bean
    @ConditionalOnMissingBean(LockTemplate.class)
    DefaultLockTemplate lockTemplate(RinglockProperties properties, ObjectProvider<LockProvider> providers,
            Environment environment, ListableBeanFactory beanFactory) {
        LockProvider provider = providers.getIfUnique();
        if (provider == null) {
            throw noProvider(environment, beanFactory);
        }
        return templateFor(provider, properties);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static DistributedLockAdvisor distributedLockAdvisor(ObjectProvider<LockTemplate> templates,
            ObjectProvider<LockProvider> providers, ObjectProvider<RinglockProperties> properties,
            ListableBeanFactory beanFactory) {
        // Everything is looked up lazily: the advisor is created before the beans it proxies, and must not
        // pull the backend's beans into early creation.
        return new DistributedLockAdvisor(new DistributedLockInterceptor(() -> {
            LockTemplate template = templates.getObject();
            if (template instanceof DefaultLockTemplate defaults) {
                return defaults;
            }
            return templateFor(providers.getObject(), properties.getObject());
        }, () -> properties.getObject().getLock().getWaitTime(), beanFactory));
    }

    private static DefaultLockTemplate templateFor(LockProvider provider, RinglockProperties properties) {
        return new DefaultLockTemplate(provider, properties.getLock().getLeaseTime(), properties.getLock().getOnLost());
    }

    private static NoBackendException noProvider(Environment environment, ListableBeanFactory beanFactory) {
        return NoBackendException.forFeature(FEATURE, BackendSelection.select(FEATURE, environment, beanFactory), "");
    }

    /**
     * Makes sure an auto-proxy creator exists even without Boot's AOP auto-configuration, proxying classes
     * as Boot does by default.
     */
    static final class ProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
            AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
        }
    }
}
