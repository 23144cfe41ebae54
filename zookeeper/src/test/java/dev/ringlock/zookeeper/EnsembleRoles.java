package dev.ringlock.zookeeper;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.client.FourLetterWordMain;

/**
 * Finds which server of a {@link TestingCluster} leads and which follows, by asking each one ({@code srvr}).
 */
final class EnsembleRoles {

    private EnsembleRoles() {
    }

    static InstanceSpec leader(TestingCluster cluster) throws Exception {
        return serverIn(cluster, "leader");
    }

    static InstanceSpec follower(TestingCluster cluster) throws Exception {
        return serverIn(cluster, "follower");
    }

    /** Whether {@code instance} answers and is now in {@code role} ({@code leader} or {@code follower}). */
    static boolean isIn(InstanceSpec instance, String role) throws Exception {
        return FourLetterWordMain.send4LetterWord("127.0.0.1", instance.getPort(), "srvr").contains("Mode: " + role);
    }

    private static InstanceSpec serverIn(TestingCluster cluster, String role) throws Exception {
        for (InstanceSpec instance : cluster.getInstances()) {
            if (isIn(instance, role)) {
                return instance;
            }
        }
        throw new AssertionError("No " + role + " in " + cluster.getConnectString());
    }
}
