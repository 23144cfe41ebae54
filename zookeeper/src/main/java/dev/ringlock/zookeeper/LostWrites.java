package dev.ringlock.zookeeper;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringlock.counter.CounterBackendException;
import dev.ringlock.counter.CounterOutcomeUnknownException;
import dev.ringlock.zookeeper.ZooKeeperCounterCodec.Receipt;
import org.jspecify.annotations.Nullable;

/**
 * The receipts of one store's writes, and what they answer when a write's answer was lost.
 * <p>
 * Every write carries a receipt, {@code <writer id> <write number>}, kept in the node with the receipts of the
 * other recent writers. After a lost answer, {@link #settle} waits for the connection, {@code sync}s (so that
 * the server it now talks to has every write the leader committed) and reads the node: its receipt there means
 * the write was applied; no receipt means it was not (a client has at most one write out per counter, and
 * receipts are only pushed out by {@value ZooKeeperCounterCodec#MAX_RECEIPTS} other writers). When that cannot
 * be told, the outcome is unknown.
 */
final class LostWrites {

    private final CounterNodes nodes;
    /** Identifies this store's writes in the receipts; random, so that no two clients share one. */
    private final String writerId = String.format("%016x", ThreadLocalRandom.current().nextLong());
    private final AtomicLong writes = new AtomicLong();
    /** Writes whose answer was lost, by how they were settled; for tests and diagnosis. */
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong notApplied = new AtomicLong();

    LostWrites(CounterNodes nodes) {
        this.nodes = nodes;
    }

    String writerId() {
        return writerId;
    }

    /** The receipt of this store's next write. */
    Receipt nextReceipt() {
        return new Receipt(writerId, writes.incrementAndGet());
    }

    /**
     * Finds out whether the write with {@code receipt}, whose answer was lost, was applied. Returns what the node
     * holds if it was, null if it was not.
     * @throws CounterOutcomeUnknownException when that cannot be known before {@code deadline}, or the receipt
     * may have been pushed out
     */
    @Nullable KnownCounter settle(String name, String path, Receipt receipt, Exception lost, long deadline) {
        KnownCounter now;
        try {
            now = nodes.read(name, path, true, deadline);
        }
        catch (CounterBackendException ex) {
            throw new CounterOutcomeUnknownException(name, ZooKeeperBackend.NAME, lost);
        }
        Receipt found = now.content().receiptOf(writerId);
        if (found != null && found.write() == receipt.write()) {
            applied.incrementAndGet();
            return now;
        }
        if (found == null && (now.content().full() || now.foreign() != null)) {
            // too many other writers since, or another program's write: our receipt may have been pushed out
            throw new CounterOutcomeUnknownException(name, ZooKeeperBackend.NAME, lost);
        }
        notApplied.incrementAndGet();
        return null;
    }

    /** How many writes whose answer was lost turned out to be applied ([0]) and not applied ([1]). */
    long[] settled() {
        return new long[] {applied.get(), notApplied.get()};
    }
}
