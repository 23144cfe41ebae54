package dev.ringlock.autoconfigure;

import java.util.function.Supplier;

import dev.ringlock.leader.DefaultLeaderElection;
import dev.ringlock.leader.EventPublishingLeadershipListener;
import dev.ringlock.leader.LeaderElection;
import dev.ringlock.leader.LeaderElectionLifecycle;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.LeaderOnly;
import dev.ringlock.leader.LeaderOnlyAdvisor;
import dev.ringlock.leader.LeaderOnlyBeanPostProcessor;
import dev.ringlock.leader.LeaderOnlyInterceptor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Leader election: the {@link LeaderElectionProvider} of the chosen backend ({@code ringlock.leader.backend}, else
 * {@code ringlock.backend}, else detection, as for locks), the {@link DefaultLeaderElection} over it as this
 * instance's member id (see {@link LeaderMemberId}), publishing every grant and revoke as an application event,
 * the advisor that runs {@link LeaderOnly} methods on the leader only, and the {@link LeaderElectionLifecycle}
 * that joins the groups at start-up, runs the {@code @LeaderOnly} roles and leaves every group at shutdown.
 */
@AutoConfiguration(after = {RinglockAutoConfiguration.class, ZooKeeperClientAutoConfiguration.class},
        afterName = {"org.springframework.boot.autoconfigure.aop.AopAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"})
@Import({RedisLeaderConfiguration.class, ZooKeeperLeaderConfiguration.class, LocalLeaderConfiguration.class,
        LockAutoConfiguration.ProxyCreatorRegistrar.class})
public final class LeaderAutoConfiguration {

    static final String FEATURE = "leader";

    @Bean
    @ConditionalOnMissingBean(LeaderElection.class)
    DefaultLeaderElection leaderElection(RinglockProperties properties, ObjectProvider<LeaderElectionProvider> providers,
            ApplicationEventPublisher publisher, Environment environment, ListableBeanFactory beanFactory) {
        LeaderElectionProvider provider = providers.getIfUnique();
        if (provider == null) {
            throw NoBackendException.forFeature(FEATURE, environment, beanFactory, "");
        }
        return new DefaultLeaderElection(LeaderMemberId.of(properties), provider,
                new EventPublishingLeadershipListener(publisher));
    }

    @Bean
    @ConditionalOnMissingBean
    LeaderElectionLifecycle ringlockLeaderElectionLifecycle(LeaderElection election, RinglockProperties properties,
            LeaderOnlyBeanPostProcessor declarations) {
        return new LeaderElectionLifecycle(election, properties.getLeader().getGroups(), declarations);
    }

    /**
     * The advice of {@code @LeaderOnly} methods, applied by the auto-proxy creator as the lock advisor is (see
     * {@link LockAutoConfiguration.ProxyCreatorRegistrar}). It resolves the election on the first leader-only
     * call: the advisor is created before the beans it proxies and must not pull the backend's beans into early
     * creation.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LeaderOnlyAdvisor leaderOnlyAdvisor(ObjectProvider<LeaderElection> elections) {
        Supplier<LeaderElection> election = elections::getObject;
        return new LeaderOnlyAdvisor(new LeaderOnlyInterceptor(election));
    }

    /**
     * Finds the groups of {@code @LeaderOnly} methods and the {@code @LeaderOnly} roles, and keeps the context from
     * starting the roles; proxies a role with a class proxy unless {@code spring.aop.proxy-target-class=false}.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LeaderOnlyBeanPostProcessor leaderOnlyBeanPostProcessor(Environment environment) {
        return new LeaderOnlyBeanPostProcessor(
                environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
    }
}
