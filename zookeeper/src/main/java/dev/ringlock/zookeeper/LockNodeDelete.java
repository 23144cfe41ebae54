package dev.ringlock.zookeeper;

import org.apache.curator.RetryLoop;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;

/**
 * The delete of a lock node at release, which tells a node that was gone before from one that its own earlier
 * attempt deleted.
 * <p>
 * A delete sent just before the connection drops may have run on the server with only its answer lost. Retried
 * after the reconnect, it finds no node, and a plain {@code NoNode} would then report a lock that was released as
 * lost. So the attempts run here, under the client's retry policy ({@link RetryLoop}, as Curator runs its own
 * builders), and each one that ends with an outcome the client cannot know (connection loss, operation timeout, a
 * session moved to another server) is remembered. A later {@code NoNode} is this release's own work when such an
 * attempt came before it and the session is still the lock node's: the node is ephemeral, so while its session
 * lives only an explicit delete removes it, and ours was the delete in flight. A {@code NoNode} at the first attempt,
 * or on another session, is a loss as before.
 * <p>
 * One case stays unseen: someone else (an operator) deleting the node in the moment between acquisition and a
 * release whose answer is then lost to a dropped connection, two faults at once; it counts as released. A versioned
 * delete would not tell the cases apart either: after a delete, ZooKeeper keeps nothing of the node to compare with.
 */
final class LockNodeDelete {

    private final CuratorFramework client;

    LockNodeDelete(CuratorFramework client) {
        this.client = client;
    }

    /**
     * Deletes the lock node at {@code path}, owned by the session {@code sessionId}, retrying as the client's retry
     * policy allows.
     * @return true when the node is deleted, by this call; false when it was gone before (a loss)
     * @throws Exception what the last attempt failed with, when the retries ran out
     */
    boolean delete(String path, long sessionId) throws Exception {
        // the client's own builders put its namespace in front of every path; this delete bypasses them
        String namespace = client.getNamespace();
        String fullPath = ZKPaths.fixForNamespace(namespace == null || namespace.isEmpty() ? null : namespace, path);
        boolean[] mayHaveRun = {false};
        try {
            RetryLoop.callWithRetry(client.getZookeeperClient(), () -> {
                try {
                    client.getZookeeperClient().getZooKeeper().delete(fullPath, -1);
                    return null;
                }
                catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException
                        | KeeperException.SessionMovedException ex) {
                    // sent, perhaps run, its answer never came: the retry loop tries again
                    mayHaveRun[0] = true;
                    throw ex;
                }
            });
            return true;
        }
        catch (KeeperException.NoNodeException ex) {
            return mayHaveRun[0] && client.getZookeeperClient().getZooKeeper().getSessionId() == sessionId;
        }
    }
}
