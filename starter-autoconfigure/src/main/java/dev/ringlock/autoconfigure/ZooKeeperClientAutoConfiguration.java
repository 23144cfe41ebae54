package dev.ringlock.autoconfigure;

import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A started {@link CuratorFramework} built from {@code ringlock.zookeeper.*}, when the application has
 * none of its own; closed with the context.
 */
@AutoConfiguration(after = RinglockAutoConfiguration.class)
@ConditionalOnClass(CuratorFramework.class)
@ConditionalOnProperty("ringlock.zookeeper.connect-string")
public final class ZooKeeperClientAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CuratorFramework ringlockCuratorFramework(RinglockProperties properties,
            ObjectProvider<CuratorFrameworkBuilderCustomizer> customizers) throws InterruptedException {
        RinglockProperties.ZooKeeper zookeeper = properties.getZookeeper();
        String connectString = zookeeper.getConnectString();
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) zookeeper.getSessionTimeout().toMillis())
                .connectionTimeoutMs((int) zookeeper.getConnectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 5_000));
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
}
