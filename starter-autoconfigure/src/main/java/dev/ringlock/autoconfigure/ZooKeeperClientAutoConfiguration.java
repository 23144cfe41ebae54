package dev.ringlock.autoconfigure;

import java.util.concurrent.TimeUnit;

import dev.ringlock.zookeeper.CuratorNotifyExecutor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import dev.ringlock.zookeeper.ZooKeeperDigestAcl;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A started {@link CuratorFramework} built from {@code ringlock.zookeeper.*}, when the application has
 * none of its own; closed with the context. With {@code ringlock.zookeeper.auth.*} it authenticates with
 * ZooKeeper's digest scheme, and every node it creates carries an ACL for that user alone.
 */
@AutoConfiguration(after = RinglockAutoConfiguration.class)
@ConditionalOnClass(name = {BackendSelection.CURATOR_FRAMEWORK, BackendSelection.RINGLOCK_ZOOKEEPER})
public final class ZooKeeperClientAutoConfiguration {

    /** The name of the client bean built here; any other CuratorFramework bean is the application's. */
    static final String CLIENT_BEAN = "ringlockCuratorFramework";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty("ringlock.zookeeper.connect-string")
    CuratorFramework ringlockCuratorFramework(RinglockProperties properties, CuratorNotifyExecutor notifyExecutor,
            ObjectProvider<CuratorFrameworkBuilderCustomizer> customizers) throws InterruptedException {
        RinglockProperties.ZooKeeper zookeeper = properties.getZookeeper();
        String connectString = zookeeper.getConnectString();
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) zookeeper.getSessionTimeout().toMillis())
                .connectionTimeoutMs((int) zookeeper.getConnectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 5_000))
                .runSafeService(notifyExecutor.asExecutor());
        ZooKeeperDigestAcl digest = ZooKeeperAuth.digestAcl(zookeeper.getAuth());
        if (digest != null) {
            // Curator authenticates every session it opens (after an expiry too) and applies the ACL to every
            // create, the parents made by creatingParentsIfNeeded included
            builder.authorization(ZooKeeperDigestAcl.SCHEME, digest.authorization()).aclProvider(digest);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        CuratorFramework client = builder.build();
        client.start();
        if (!client.blockUntilConnected((int) zookeeper.getConnectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            client.close();
            throw new BackendUnavailableException(RinglockBackend.ZOOKEEPER, String.valueOf(connectString),
                    "'ringlock.zookeeper.connect-string'", "no connection within 'ringlock.zookeeper.connection-timeout' ("
                            + zookeeper.getConnectionTimeout() + ")");
        }
        return client;
    }

    /** Starts no thread until the client notifies; the application's own client, if any, never uses it. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty("ringlock.zookeeper.connect-string")
    CuratorNotifyExecutor ringlockCuratorNotifyExecutor() {
        return new CuratorNotifyExecutor();
    }

    /** Not replaceable: a safety check, not a service (and a type of this package alone). */
    @Bean
    ZooKeeperAuthGuard ringlockZooKeeperAuthGuard(ListableBeanFactory beanFactory,
            ObjectProvider<RinglockProperties> properties) {
        return new ZooKeeperAuthGuard(beanFactory, properties);
    }
}
