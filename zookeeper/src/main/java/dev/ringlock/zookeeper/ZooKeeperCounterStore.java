package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

import dev.ringlock.counter.CounterContentionException;
import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.counter.CounterStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Counters on ZooKeeper: one persistent znode per counter under {@code <prefix>/counters/}, holding the
 * value as decimal text (see {@link ZooKeeperCounterCodec}), updated by compare-and-swap: a versioned
 * {@code setData} that fails if anyone wrote the node since it was read. No lock is taken.
 *
 * <h2>Combining</h2>
 * Threads of one client that update the same counter at once do not race each other: they queue their
 * operations, and whichever thread gets the counter's stripe lock first applies every queued operation in
 * order to the value it knows and writes the result with one versioned {@code setData}. Every operation of
 * the batch takes effect at that write, so each stays linearizable, and a client sends one write per
 * batch instead of one per thread; only clients compete for the node. A batch that loses the race reads the
 * node again and retries, after a jittered pause once it has lost twice, until
 * {@code ringlock.counter.max-retry-time} runs out ({@link CounterContentionException}).
 *
 * <h2>Writes whose answer is lost</h2>
 * When the connection fails while a {@code setData} is out (a leader election, say), the write may or may
 * not have been applied. Retrying blindly could count it twice; giving up could report a failure for an
 * increment that counted. So every write carries a receipt, {@code <writer id> <write number>}, kept in the
 * node with the receipts of the other recent writers. After a lost answer the store waits for the
 * connection, {@code sync}s (so that the server it now talks to has every write the leader committed) and
 * reads the node: its receipt there means the write was applied, and the batch's results are returned;
 * no receipt means it was not (a client has at most one write out per counter, and receipts are only
 * pushed out by {@value ZooKeeperCounterCodec#MAX_RECEIPTS} other writers), and the batch is retried. Only
 * when that question cannot be answered before the retry time runs out, or when the receipt could have been
 * pushed out by too many other writers, does the caller get {@link CounterOutcomeUnknownException}. Hence
 * every update that returned counted exactly once, and every other exception means it did not count.
 * <p>
 * The pieces: {@link CounterBatcher} combines the threads' operations, {@link CounterCompareAndSwap} runs the
 * versioned write and its retries, {@link LostWrites} keeps the receipts and settles lost answers,
 * {@link KnownCounters} remembers each counter's last known node, and {@link CounterNodes} reads and writes it
 * ({@code setData} straight to the client's ZooKeeper handle, not through Curator's retry loop: a retry of a
 * write that had landed would fail its version check and look like a lost race).
 * <p>
 * {@link #delete} removes the node; an update racing with it may survive it (a delete is not meant for
 * counters in use; {@link #set} to 0 resets one safely).
 */
public final class ZooKeeperCounterStore implements CounterStore {

    private final CuratorFramework client;
    private final ZooKeeperPaths paths;
    private final LostWrites lostWrites;
    private final CounterBatcher batcher;

    /**
     * @param client a started client
     * @param maxRetryTime how long one update may keep losing races, or wait for a lost connection, before it
     * gives up ({@code ringlock.counter.max-retry-time})
     */
    public ZooKeeperCounterStore(CuratorFramework client, ZooKeeperPaths paths, Duration maxRetryTime) {
        this(client, paths, maxRetryTime, UnaryOperator.identity());
    }

    /** @param setData wraps the versioned write, so that a test can lose its answer before or after it is applied */
    ZooKeeperCounterStore(CuratorFramework client, ZooKeeperPaths paths, Duration maxRetryTime,
            UnaryOperator<CounterNodes.SetData> setData) {
        this.client = Objects.requireNonNull(client, "client");
        this.paths = Objects.requireNonNull(paths, "paths");
        if (maxRetryTime.isNegative() || maxRetryTime.isZero()) {
            throw new IllegalArgumentException("'ringlock.counter.max-retry-time' must be positive, was " + maxRetryTime);
        }
        CounterNodes nodes = new CounterNodes(client, setData);
        this.lostWrites = new LostWrites(nodes);
        this.batcher = new CounterBatcher(new CounterCompareAndSwap(nodes, lostWrites, paths, maxRetryTime.toNanos()));
    }

    @Override
    public String backend() {
        return ZooKeeperBackend.NAME;
    }

    @Override
    public long addAndGet(String name, long delta) {
        return (Long) batcher.submit(name, new CounterOperation.Add(delta));
    }

    @Override
    public boolean compareAndSet(String name, long expect, long update) {
        return (Boolean) batcher.submit(name, new CounterOperation.CompareAndSet(expect, update));
    }

    @Override
    public void set(String name, long value) {
        batcher.submit(name, new CounterOperation.SetValue(value));
    }

    /** Syncs the connected server with the leader first, so the value is at least as new as any completed update. */
    @Override
    public long get(String name) {
        String path = paths.counterPath(name);
        try {
            client.sync().forPath(path);
            return ZooKeeperCounterCodec.decode(name, path, client.getData().forPath(path)).value();
        }
        catch (KeeperException.NoNodeException ex) {
            return 0;
        }
        catch (CounterEncodingException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw CounterNodes.failure(name, "reading", ex);
        }
    }

    @Override
    public void delete(String name) {
        String path = paths.counterPath(name);
        batcher.exclusively(name, known -> {
            known.forget(name);
            try {
                client.delete().forPath(path);
            }
            catch (KeeperException.NoNodeException ignore) {
                // already gone: deleting is idempotent
            }
            catch (Exception ex) {
                throw CounterNodes.failure(name, "deleting", ex);
            }
            return null;
        });
    }

    /** How many writes whose answer was lost turned out to be applied ([0]) and not applied ([1]). */
    long[] settledLostAnswers() {
        return lostWrites.settled();
    }

    /** The writer id in this store's receipts; for tests. */
    String writerId() {
        return lostWrites.writerId();
    }
}
