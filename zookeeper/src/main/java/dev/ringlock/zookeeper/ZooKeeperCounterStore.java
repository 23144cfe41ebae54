package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterContentionException;
import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.counter.CounterStore;
import dev.ringlock.zookeeper.ZooKeeperCounterCodec.Content;
import dev.ringlock.zookeeper.ZooKeeperCounterCodec.Receipt;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

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
 * {@code setData} goes straight to the client's ZooKeeper handle, not through Curator's retry loop: a
 * retry of a write that had landed would fail its version check and look like a lost race.
 * <p>
 * {@link #delete} removes the node; an update racing with it may survive it (a delete is not meant for
 * counters in use; {@link #set} to 0 resets one safely).
 */
public final class ZooKeeperCounterStore implements CounterStore {

    private static final int STRIPES = 64;
    private static final int MAX_BATCH = 256;
    private static final int CACHED_PER_STRIPE = 32;
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final CuratorFramework client;
    private final ZooKeeperPaths paths;
    private final long maxRetryNanos;
    /** Identifies this store's writes in the receipts; random, so that no two clients share one. */
    private final String writerId;
    private final AtomicLong writes = new AtomicLong();
    /** Writes whose answer was lost, by how they were settled; for tests and diagnosis. */
    private final AtomicLong lostApplied = new AtomicLong();
    private final AtomicLong lostNotApplied = new AtomicLong();
    private final Stripe[] stripes = new Stripe[STRIPES];
    /** The versioned write, straight to the ZooKeeper handle; tests wrap it to lose answers. */
    private volatile SetData setData = this::setDataDirectly;

    /**
     * @param client a started client
     * @param maxRetryTime how long one update may keep losing races, or wait for a lost connection, before it
     * gives up ({@code ringlock.counter.max-retry-time})
     */
    public ZooKeeperCounterStore(CuratorFramework client, ZooKeeperPaths paths, Duration maxRetryTime) {
        this.client = Objects.requireNonNull(client, "client");
        this.paths = Objects.requireNonNull(paths, "paths");
        if (maxRetryTime.isNegative() || maxRetryTime.isZero()) {
            throw new IllegalArgumentException("'ringlock.counter.max-retry-time' must be positive, was " + maxRetryTime);
        }
        this.maxRetryNanos = maxRetryTime.toNanos();
        this.writerId = String.format("%016x", ThreadLocalRandom.current().nextLong());
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    @Override
    public String backend() {
        return ZooKeeperBackend.NAME;
    }

    @Override
    public long addAndGet(String name, long delta) {
        return (Long) submit(name, new CounterOperation.Add(delta));
    }

    @Override
    public boolean compareAndSet(String name, long expect, long update) {
        return (Boolean) submit(name, new CounterOperation.CompareAndSet(expect, update));
    }

    @Override
    public void set(String name, long value) {
        submit(name, new CounterOperation.SetValue(value));
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
            throw backendFailure(name, "reading", ex);
        }
    }

    @Override
    public void delete(String name) {
        String path = paths.counterPath(name);
        Stripe stripe = stripeOf(name);
        stripe.lock.lock();
        try {
            stripe.known.remove(name);
            client.delete().forPath(path);
        }
        catch (KeeperException.NoNodeException ignore) {
            // already gone: deleting is idempotent
        }
        catch (Exception ex) {
            throw backendFailure(name, "deleting", ex);
        }
        finally {
            stripe.lock.unlock();
        }
    }

    /** How many writes whose answer was lost turned out to be applied ([0]) and not applied ([1]). */
    long[] settledLostAnswers() {
        return new long[] {lostApplied.get(), lostNotApplied.get()};
    }

    /** Wraps the versioned write, so that a test can lose its answer before or after it is applied. */
    void interceptSetDataForTests(java.util.function.UnaryOperator<SetData> interceptor) {
        setData = interceptor.apply(this::setDataDirectly);
    }

    private Stat setDataDirectly(String path, byte[] data, int version) throws Exception {
        return client.getZookeeperClient().getZooKeeper()
                .setData(ZKPaths.fixForNamespace(client.getNamespace(), path), data, version);
    }

    /** A versioned {@code setData} of a path inside the client's namespace. */
    @FunctionalInterface
    interface SetData {

        Stat setData(String path, byte[] data, int version) throws Exception;
    }

    /** The writer id in this store's receipts; for tests. */
    String writerId() {
        return writerId;
    }

    // ----------------------------------------------------------------- combining

    private Object submit(String name, CounterOperation operation) {
        Stripe stripe = stripeOf(name);
        PendingCounterOperation pending = new PendingCounterOperation(name, operation);
        stripe.queue.add(pending);
        stripe.lock.lock();
        try {
            if (!pending.done) {
                List<PendingCounterOperation> batch = new ArrayList<>();
                PendingCounterOperation next;
                while (batch.size() < MAX_BATCH && (next = stripe.queue.poll()) != null) {
                    batch.add(next);
                }
                runBatch(stripe, batch);
            }
        }
        finally {
            stripe.lock.unlock();
        }
        return pending.result();
    }

    /** Runs the batch counter by counter, in order of arrival; a failure of one counter fails only its operations. */
    private void runBatch(Stripe stripe, List<PendingCounterOperation> batch) {
        Map<String, List<PendingCounterOperation>> byCounter = new LinkedHashMap<>();
        for (PendingCounterOperation pending : batch) {
            byCounter.computeIfAbsent(pending.name, n -> new ArrayList<>()).add(pending);
        }
        for (Map.Entry<String, List<PendingCounterOperation>> entry : byCounter.entrySet()) {
            try {
                update(stripe, entry.getKey(), entry.getValue());
            }
            catch (RuntimeException ex) {
                entry.getValue().forEach(pending -> pending.fail(ex));
            }
            catch (Error ex) {
                // the batch thread rethrows it; the callers it ran for must not wait for a result forever
                IllegalStateException failed = new IllegalStateException("Update of counter '" + entry.getKey()
                        + "' failed: " + ex, ex);
                batch.forEach(pending -> {
                    if (!pending.done) {
                        pending.fail(failed);
                    }
                });
                throw ex;
            }
        }
    }

    /**
     * Applies the operations to one counter with one successful versioned write; completes them, or throws
     * when none took effect (or, {@link CounterOutcomeUnknownException}, when that cannot be known).
     */
    private void update(Stripe stripe, String name, List<PendingCounterOperation> operations) {
        String path = paths.counterPath(name);
        long started = System.nanoTime();
        long deadline = started + maxRetryNanos;
        Known known = stripe.known.get(name);
        int attempts = 0;
        Exception[] connectionFailure = new Exception[1];
        while (true) {
            if (known == null) {
                known = read(name, path, false, deadline);
            }
            Content current = known.content();
            long value = current.value();
            // a node another program wrote in another encoding has no value to work on until a set replaces it
            RuntimeException foreign = known.foreign();
            Object[] results = new Object[operations.size()];
            for (int i = 0; i < results.length; i++) {
                CounterOperation operation = operations.get(i).operation;
                if (foreign != null && !(operation instanceof CounterOperation.SetValue)) {
                    results[i] = foreign;
                    continue;
                }
                foreign = null;
                results[i] = operation.apply(name, value);
                value = operation.valueAfter(value, results[i]);
            }
            if (foreign != null) {
                complete(operations, results);
                return;
            }
            Receipt receipt = new Receipt(writerId, writes.incrementAndGet());
            List<Receipt> receipts = current.with(receipt);
            byte[] data = ZooKeeperCounterCodec.encode(value, receipts);
            attempts++;
            connectionFailure[0] = null;
            Known written = write(name, path, known, value, receipts, data, receipt, deadline, connectionFailure);
            if (written != null) {
                stripe.known.put(name, written);
                complete(operations, results);
                return;
            }
            // lost the race (someone wrote since we read), or the connection failed before it could land:
            // the write did not happen
            stripe.known.remove(name);
            known = null;
            if (System.nanoTime() - deadline >= 0) {
                if (connectionFailure[0] != null) {
                    throw backendFailure(name, "updating", connectionFailure[0]);
                }
                throw new CounterContentionException(name, attempts, Duration.ofNanos(System.nanoTime() - started));
            }
            pause(name, attempts, deadline);
        }
    }

    private static void complete(List<PendingCounterOperation> operations, Object[] results) {
        for (int i = 0; i < results.length; i++) {
            operations.get(i).complete(results[i]);
        }
    }

    /**
     * One conditional write. Returns what the node now holds when the write was applied, null when it lost
     * the race (so it was not applied).
     */
    private @Nullable Known write(String name, String path, Known known, long value, List<Receipt> receipts,
            byte[] data, Receipt receipt, long deadline, Exception[] connectionFailure) {
        try {
            if (!client.getZookeeperClient().isConnected()) {
                // not a write lost in flight: wait for the connection before sending rather than settle afterwards
                client.getZookeeperClient().blockUntilConnectedOrTimedOut();
            }
            if (!known.exists()) {
                Stat stat = new Stat();
                // Curator may retry this create after a connection loss; NodeExists is then checked below
                client.create().storingStatIn(stat).creatingParentContainersIfNeeded().forPath(path, data);
                return new Known(true, stat.getVersion(), new Content(value, receipts), null);
            }
            Stat stat = setData.setData(path, data, known.version());
            return new Known(true, stat.getVersion(), new Content(value, receipts), null);
        }
        catch (KeeperException.BadVersionException | KeeperException.NoNodeException ex) {
            return null;
        }
        catch (KeeperException.NodeExistsException ex) {
            // someone created it first, or our own create landed and its answer was lost before Curator retried
            return settle(name, path, receipt, ex, deadline);
        }
        catch (KeeperException.NoAuthException ex) {
            throw backendFailure(name, "updating", ex);
        }
        catch (InterruptedException ex) {
            // the request may be out: settle it first (the flag is clear now), then keep the interrupt
            try {
                return settle(name, path, receipt, ex, deadline);
            }
            finally {
                Thread.currentThread().interrupt();
            }
        }
        catch (Exception ex) {
            // connection loss, session moved or expired, timeout...: the write may have been applied
            connectionFailure[0] = ex;
            return settle(name, path, receipt, ex, deadline);
        }
    }

    /**
     * Finds out whether the write with {@code receipt}, whose answer was lost, was applied: waits for the
     * connection, syncs and reads the node. Returns what it holds if the write was applied, null if it was not.
     */
    private @Nullable Known settle(String name, String path, Receipt receipt, Exception lost, long deadline) {
        Known now;
        try {
            now = read(name, path, true, deadline);
        }
        catch (CounterBackendException ex) {
            throw new CounterOutcomeUnknownException(name, backend(), lost);
        }
        Receipt found = now.content().receiptOf(writerId);
        if (found != null && found.write() == receipt.write()) {
            lostApplied.incrementAndGet();
            return now;
        }
        if (found == null && (now.content().full() || now.foreign() != null)) {
            // too many other writers since, or another program's write: our receipt may have been pushed out
            throw new CounterOutcomeUnknownException(name, backend(), lost);
        }
        lostNotApplied.incrementAndGet();
        return null;
    }

    /**
     * Reads the node, retrying until the deadline; an absent node reads as 0. With {@code sync}, the server
     * first catches up with the leader. A stale read costs only a failed version check, so only settling a
     * lost answer needs the sync.
     */
    private Known read(String name, String path, boolean sync, long deadline) {
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
                    return new Known(true, stat.getVersion(), ZooKeeperCounterCodec.decode(name, path, data), null);
                }
                catch (CounterEncodingException ex) {
                    return new Known(true, stat.getVersion(), new Content(0, List.of()), ex);
                }
            }
            catch (KeeperException.NoNodeException ex) {
                return new Known(false, -1, new Content(0, List.of()), null);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw backendFailure(name, "reading", ex);
            }
            catch (Exception ex) {
                last = ex;
                pause(name, attempts, deadline);
            }
        }
        throw backendFailure(name, "reading", Objects.requireNonNull(last));
    }

    /** Waits a jittered, growing pause before the next attempt: none after the first loss, at most 20 ms. */
    private void pause(String name, int attempts, long deadline) {
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
                throw backendFailure(name, "waiting to retry an update of", ex);
            }
        }
    }

    private CounterBackendException backendFailure(String name, String action, Exception ex) {
        return new CounterBackendException(name, backend(), action, ex);
    }

    private Stripe stripeOf(String name) {
        int h = name.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    // ----------------------------------------------------------------- state

    /**
     * What this client last knew of a node: whether it exists, its version, its content, or why its content
     * is not a counter.
     */
    private record Known(boolean exists, int version, Content content, @Nullable CounterEncodingException foreign) {
    }

    /** The counters whose operations share one lock, their queue, and the last known state of each. */
    private static final class Stripe {

        final ReentrantLock lock = new ReentrantLock();
        final ConcurrentLinkedQueue<PendingCounterOperation> queue = new ConcurrentLinkedQueue<>();
        /** Guarded by {@link #lock}; bounded, least recently used dropped first. */
        final Map<String, Known> known = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                return size() > CACHED_PER_STRIPE;
            }
        };
    }
}
