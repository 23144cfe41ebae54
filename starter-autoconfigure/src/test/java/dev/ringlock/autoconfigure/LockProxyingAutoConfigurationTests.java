package dev.ringlock.autoconfigure;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import org.junit.jupiter.api.Test;
import org.springframework.aop.aspectj.annotation.AnnotationAwareAspectJAutoProxyCreator;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.framework.autoproxy.InfrastructureAdvisorAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code @DistributedLock} beans are proxied: as Spring Boot's {@code AopAutoConfiguration} would, under
 * {@code spring.aop.auto} and {@code spring.aop.proxy-target-class}, with or without Boot's AOP configuration.
 */
class LockProxyingAutoConfigurationTests {

    private static final String CREATOR = AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME;

    private final ApplicationContextRunner ringlockAlone = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class, LockAutoConfiguration.class))
            .withPropertyValues("ringlock.backend=local")
            .withUserConfiguration(LockedReports.class);

    private final ApplicationContextRunner withBootAop = ringlockAlone
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class));

    @Test
    void classProxiesByDefault() {
        ringlockAlone.run(context -> {
            assertThat(context.getBean(CREATOR)).isExactlyInstanceOf(InfrastructureAdvisorAutoProxyCreator.class);
            assertLockedThrough(context, true);
        });
    }

    @Test
    void interfaceBeansGetJdkProxiesWhenTargetClassProxyingIsOff() {
        ringlockAlone.withPropertyValues("spring.aop.proxy-target-class=false")
                .run(context -> assertLockedThrough(context, false));
    }

    @Test
    void classProxiesWhenTargetClassProxyingIsNamed() {
        ringlockAlone.withPropertyValues("spring.aop.proxy-target-class=true")
                .run(context -> assertLockedThrough(context, true));
    }

    @Test
    void withAopAutoOffRinglockRegistersNoProxyCreator() {
        ringlockAlone.withPropertyValues("spring.aop.auto=false").run(context -> {
            assertThat(context).hasSingleBean(DistributedLockAdvisor.class).doesNotHaveBean(CREATOR);
            Reports reports = context.getBean(Reports.class);
            assertThat(AopUtils.isAopProxy(reports)).isFalse();
            assertThat(reports.lockKey()).isEqualTo("none");
        });
    }

    @Test
    void withAopAutoOffTheApplicationsOwnProxyCreatorAppliesTheAdvisor() {
        ringlockAlone.withPropertyValues("spring.aop.auto=false").withUserConfiguration(OwnAutoProxying.class)
                .run(context -> assertLockedThrough(context, false));
    }

    @Test
    void bootsAopConfigurationProvidesTheProxyCreatorAndItsProxyType() {
        withBootAop.run(context -> {
            assertThat(context.getBean(CREATOR)).isInstanceOf(AnnotationAwareAspectJAutoProxyCreator.class);
            assertLockedThrough(context, true);
        });
        withBootAop.withPropertyValues("spring.aop.proxy-target-class=false").run(context -> {
            assertThat(context.getBean(CREATOR)).isInstanceOf(AnnotationAwareAspectJAutoProxyCreator.class);
            assertLockedThrough(context, false);
        });
    }

    /** The bean is a class (CGLIB) or a JDK proxy, as expected, and its method runs under its lock. */
    private static void assertLockedThrough(AssertableApplicationContext context, boolean classProxy) {
        assertThat(context).hasNotFailed();
        Reports reports = context.getBean(Reports.class);
        assertThat(AopUtils.isCglibProxy(reports)).as("class proxy").isEqualTo(classProxy);
        assertThat(AopUtils.isJdkDynamicProxy(reports)).as("JDK proxy").isEqualTo(!classProxy);
        assertThat(reports.lockKey()).isEqualTo("report:daily");
    }

    interface Reports {

        /** The key of the lock the method runs under, or {@code none}. */
        String lockKey();
    }

    @Component
    static class LockedReports implements Reports {

        @Override
        @DistributedLock(key = "'report:daily'")
        public String lockKey() {
            return LockContext.current().map(LockHandle::key).orElse("none");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy
    static class OwnAutoProxying {
    }
}
