package smoke.plain;

import java.time.Duration;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.DistributedLockInterceptor;
import dev.ringlock.lock.EventPublishingLockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.support.RinglockScheduler;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.aop.framework.autoproxy.DefaultAdvisorAutoProxyCreator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Ringlock's locks on ZooKeeper, wired by hand as a Spring Framework application without Spring Boot does it:
 * the Curator client, the one scheduler, the lock provider, the template, and the advisor that runs
 * {@code @DistributedLock} methods under their lock. The ZooKeeper ensemble is the property
 * {@code zookeeper.connect-string}.
 */
@Configuration(proxyBeanMethods = false)
public class RinglockConfiguration {

    @Bean
    CuratorFramework curatorFramework(Environment environment) {
        CuratorFramework client = CuratorFrameworkFactory.newClient(
                environment.getRequiredProperty("zookeeper.connect-string"), new ExponentialBackoffRetry(100, 5));
        client.start();
        return client;
    }

    @Bean
    RinglockScheduler ringlockScheduler() {
        return new RinglockScheduler();
    }

    @Bean
    ZooKeeperLockProvider zooKeeperLockProvider(CuratorFramework client, RinglockScheduler scheduler,
            ApplicationEventPublisher publisher) {
        return new ZooKeeperLockProvider(client, new ZooKeeperPaths("plain-spring"), scheduler.executor(),
                new EventPublishingLockLossListener(publisher));
    }

    @Bean
    DefaultLockTemplate lockTemplate(ZooKeeperLockProvider provider) {
        return new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);
    }

    /** Static, as every post-processor: it is created before the other beans, which it proxies. */
    @Bean
    static DefaultAdvisorAutoProxyCreator autoProxyCreator() {
        DefaultAdvisorAutoProxyCreator creator = new DefaultAdvisorAutoProxyCreator();
        creator.setProxyTargetClass(true);
        return creator;
    }

    /** The template is looked up at the first locked call, so the early advisor does not create the backend early. */
    @Bean
    static DistributedLockAdvisor distributedLockAdvisor(ObjectProvider<DefaultLockTemplate> template,
            BeanFactory beanFactory) {
        return new DistributedLockAdvisor(
                new DistributedLockInterceptor(template::getObject, () -> Duration.ofSeconds(5), () -> LockLostPolicy.THROW,
                        beanFactory));
    }

    @Bean
    SmokeService smokeService() {
        return new SmokeService();
    }
}
