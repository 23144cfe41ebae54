package dev.ringlock.autoconfigure;

import dev.ringlock.zookeeper.ZooKeeperDigestAcl;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Fails start-up when {@code ringlock.zookeeper.auth.*} is set but Ringlock works through a
 * {@link CuratorFramework} it did not build: that client knows nothing of the credential, and the nodes Ringlock
 * creates through it would be open to anyone, while the configuration says they are protected. Runs before any
 * lifecycle bean (such as the ring's membership) has created a node.
 */
final class ZooKeeperAuthGuard implements SmartInitializingSingleton {

    private final ListableBeanFactory beanFactory;
    private final ObjectProvider<RinglockProperties> properties;

    ZooKeeperAuthGuard(ListableBeanFactory beanFactory, ObjectProvider<RinglockProperties> properties) {
        this.beanFactory = beanFactory;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (ZooKeeperAuth.digestAcl(properties.getObject().getZookeeper().getAuth()) == null) {
            return;
        }
        for (String name : beanFactory.getBeanNamesForType(CuratorFramework.class, true, false)) {
            if (!ZooKeeperClientAutoConfiguration.CLIENT_BEAN.equals(name)) {
                throw new ZooKeeperAuthException("'ringlock.zookeeper.auth' is set, but the application defines its own "
                        + "CuratorFramework '" + name + "', which Ringlock does not build: the credential and the ACLs "
                        + "would not be applied", ZooKeeperAuth.USERNAME,
                        "Configure authorization and an ACL provider on bean '" + name + "' (for example "
                                + "CuratorFrameworkFactory.builder().authorization(\"digest\", ...).aclProvider(new "
                                + "ZooKeeperDigestAcl(user, password))) and remove 'ringlock.zookeeper.auth.*', or remove "
                                + "the bean and let Ringlock build the client from 'ringlock.zookeeper.connect-string'.");
            }
        }
    }
}
