package dev.ringlock.zookeeper;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.zookeeper.ZooKeeperCounterCodec.Content;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Reads and writes of counter znodes, and the pauses between attempts.
 * <p>
 * {@code setData} goes straight to the client's ZooKeeper handle, not through Curator's retry loop: a retry of a
 * write that had landed would fail its version check and look like a lost race.
 */
final class CounterNodes {

    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A versioned {@code setData} of a path inside the client's namespace. */
    @FunctionalInterface
    interface SetData {

        Stat setData(String path, byte[] data, int version) throws Exception;
    }

    private final CuratorFramework client;
    private final SetData setData;

    /** @param setData wraps the direct versioned write; the identity but in tests that lose its answer */
    CounterNodes(CuratorFramework client, UnaryOperator<SetData> setData) {
        this.client = client;
        this.setData = setData.apply(this::setDataDirectly);
    }

    private Stat setDataDirectly(String path, byte[] data, int version) throws Exception {
        return client.getZookeeperClient().getZooKeeper()
                .setData(ZKPaths.fixForNamespace(client.getNamespace(), path), data, version);
    }

    /** Not a write lost in flight: waits for the connection before sending rather than settle afterwards. */
    void awaitConnection() throws InterruptedException {
        if (!client.getZookeeperClient().isConnected()) {
            client.getZookeeperClient().blockUntilConnectedOrTimedOut();
        }
    }

    /** Creates the node; Curator may retry the create after a connection loss (NodeExists then). */
    KnownCounter create(String path, byte[] data, Content content) throws Exception {
        Stat stat = new Stat();
        client.create().storingStatIn(stat).creatingParentContainersIfNeeded().forPath(path, data);
        return new KnownCounter(true, stat.getVersion(), content, null);
    }

    /** Writes the node if it still has {@code version}. */
    KnownCounter setData(String path, byte[] data, int version, Content content) throws Exception {
        Stat stat = setData.setData(path, data, version);
        return new KnownCounter(true, stat.getVersion(), content, null);
    }

    /**
     * Reads the node, retrying until the deadline; an absent node reads as 0. With {@code sync}, the server
     * first catches up with the leader. A stale read costs only a failed version check, so only settling a
     * lost answer needs the sync.
     */
    KnownCounter read(String name, String path, boolean sync, long deadline) {
        Exception last = null;
        int attempts = 0;
        while (attempts == 0 || System.nanoTime() - deadline < 0) {
            attempts++;
            try {
                if (sync) {
                    client.sync().forPath(path);
                }
                Stat stat = new Stat();
                byte[] data = client.getData().storingStatIn(stat).forPath(path);
                try {
                    return new KnownCounter(true, stat.getVersion(), ZooKeeperCounterCodec.decode(name, path, data),
                            null);
                }
                catch (CounterEncodingException ex) {
                    return new KnownCounter(true, stat.getVersion(), new Content(0, List.of()), ex);
                }
            }
            catch (KeeperException.NoNodeException ex) {
                return KnownCounter.absent();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw failure(name, "reading", ex);
            }
            catch (Exception ex) {
                last = ex;
                pause(name, attempts, deadline);
            }
        }
        throw failure(name, "reading", Objects.requireNonNull(last));
    }

    /** Waits a jittered, growing pause before the next attempt: none after the first loss, at most 20 ms. */
    void pause(String name, int attempts, long deadline) {
        if (attempts < 2) {
            return;
        }
        long bound = Math.min(MAX_PAUSE_NANOS, TimeUnit.MICROSECONDS.toNanos(250L << Math.min(attempts - 2, 10)));
        long pause = Math.min(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1), deadline - System.nanoTime());
        if (pause > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw failure(name, "waiting to retry an update of", ex);
            }
        }
    }

    static CounterBackendException failure(String name, String action, Exception ex) {
        return new CounterBackendException(name, ZooKeeperBackend.NAME, action, ex);
    }
}
