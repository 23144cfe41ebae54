package dev.ringlock.zookeeper;

import java.time.Duration;
import java.util.List;

import dev.ringlock.counter.CounterContentionException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.zookeeper.ZooKeeperCounterCodec.Content;
import dev.ringlock.zookeeper.ZooKeeperCounterCodec.Receipt;
import org.apache.zookeeper.KeeperException;
import org.jspecify.annotations.Nullable;

/**
 * The versioned compare-and-swap loop of one counter's batch: apply the operations to the value last known,
 * write the result if nobody wrote the node since, and read and retry when someone did, after a jittered pause
 * once it has lost twice, until the retry time runs out ({@link CounterContentionException}). A write whose
 * answer was lost is settled by its receipt ({@link LostWrites}) before anything is retried.
 */
final class CounterCompareAndSwap implements CounterBatcher.Updater {

    private final CounterNodes nodes;
    private final LostWrites lostWrites;
    private final ZooKeeperPaths paths;
    private final long maxRetryNanos;

    CounterCompareAndSwap(CounterNodes nodes, LostWrites lostWrites, ZooKeeperPaths paths, long maxRetryNanos) {
        this.nodes = nodes;
        this.lostWrites = lostWrites;
        this.paths = paths;
        this.maxRetryNanos = maxRetryNanos;
    }

    /** How one conditional write ended. */
    private sealed interface Written {
    }

    /** Applied: the node now holds this. */
    private record Applied(KnownCounter now) implements Written {
    }

    /** Not applied: someone wrote the node since it was read. */
    private record LostRace() implements Written {
    }

    /** Not applied: the connection failed before the write could land. */
    private record NotLanded(Exception failure) implements Written {
    }

    /**
     * Applies the operations to one counter with one successful versioned write; completes them, or throws
     * when none took effect (or, {@link CounterOutcomeUnknownException}, when that cannot be known).
     */
    @Override
    public void update(String name, List<PendingCounterOperation> operations, KnownCounters cache) {
        String path = paths.counterPath(name);
        long started = System.nanoTime();
        long deadline = started + maxRetryNanos;
        KnownCounter known = cache.get(name);
        int attempts = 0;
        while (true) {
            if (known == null) {
                known = nodes.read(name, path, false, deadline);
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
            Receipt receipt = lostWrites.nextReceipt();
            Content next = new Content(value, current.with(receipt));
            attempts++;
            Written written = write(name, path, known, next, receipt, deadline);
            if (written instanceof Applied applied) {
                cache.put(name, applied.now());
                complete(operations, results);
                return;
            }
            // lost the race (someone wrote since we read), or the connection failed before it could land:
            // the write did not happen
            cache.forget(name);
            known = null;
            if (System.nanoTime() - deadline >= 0) {
                if (written instanceof NotLanded notLanded) {
                    throw CounterNodes.failure(name, "updating", notLanded.failure());
                }
                throw new CounterContentionException(name, attempts, Duration.ofNanos(System.nanoTime() - started));
            }
            nodes.pause(name, attempts, deadline);
        }
    }

    private static void complete(List<PendingCounterOperation> operations, Object[] results) {
        for (int i = 0; i < results.length; i++) {
            operations.get(i).complete(results[i]);
        }
    }

    /** One conditional write of {@code next} over {@code known}. */
    private Written write(String name, String path, KnownCounter known, Content next, Receipt receipt,
            long deadline) {
        byte[] data = ZooKeeperCounterCodec.encode(next.value(), next.receipts());
        try {
            nodes.awaitConnection();
            return new Applied(known.exists() ? nodes.setData(path, data, known.version(), next)
                    : nodes.create(path, data, next));
        }
        catch (KeeperException.BadVersionException | KeeperException.NoNodeException ex) {
            return new LostRace();
        }
        catch (KeeperException.NodeExistsException ex) {
            // someone created it first, or our own create landed and its answer was lost before Curator retried
            return settled(lostWrites.settle(name, path, receipt, ex, deadline), new LostRace());
        }
        catch (KeeperException.NoAuthException ex) {
            throw CounterNodes.failure(name, "updating", ex);
        }
        catch (InterruptedException ex) {
            // the request may be out: settle it first (the flag is clear now), then keep the interrupt
            try {
                return settled(lostWrites.settle(name, path, receipt, ex, deadline), new LostRace());
            }
            finally {
                Thread.currentThread().interrupt();
            }
        }
        catch (Exception ex) {
            // connection loss, session moved or expired, timeout...: the write may have been applied
            return settled(lostWrites.settle(name, path, receipt, ex, deadline), new NotLanded(ex));
        }
    }

    private static Written settled(@Nullable KnownCounter applied, Written otherwise) {
        return applied != null ? new Applied(applied) : otherwise;
    }
}
