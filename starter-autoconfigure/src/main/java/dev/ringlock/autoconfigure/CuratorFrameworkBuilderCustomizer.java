package dev.ringlock.autoconfigure;

import org.apache.curator.framework.CuratorFrameworkFactory;

/**
 * Customizes the {@code CuratorFramework} Ringlock builds from {@code ringlock.zookeeper.*} (retry policy,
 * ACL provider, authorization), before it is built.
 */
@FunctionalInterface
public interface CuratorFrameworkBuilderCustomizer {

    void customize(CuratorFrameworkFactory.Builder builder);
}
