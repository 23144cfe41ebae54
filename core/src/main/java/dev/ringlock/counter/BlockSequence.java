package dev.ringlock.counter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Sequence} that hands out the ids of one reserved block after the other.
 * <p>
 * A reservation is one {@code addAndGet(blockSize)}: it returns the block's last id {@code end}, and the
 * block is {@code end - blockSize + 1 .. end}. Linearizable additions give every reservation, in any
 * instance, a range of its own. Blocks are reserved one after the other by this object (the next only
 * once the previous reservation returned), so each block lies above the one before and ids increase.
 * <p>
 * One lock guards the block; {@code next()} holds it only to take an id, or, when the block is used up, to
 * wait for the reservation of the next one, which callers would wait for anyway. The background
 * reservation runs without the lock.
 */
final class BlockSequence implements Sequence {

    private final CounterStore store;
    private final String name;
    private final int blockSize;
    private final @Nullable Executor prefetchExecutor;

    private final ReentrantLock lock = new ReentrantLock();
    /** The next id to hand out, and the last id of the current block; guarded by {@link #lock}. */
    private long next = 1;
    private long end = 0;
    private boolean exhausted = true;
    /** The reservation of the following block, started in the background; guarded by {@link #lock}. */
    private @Nullable CompletableFuture<Long> prefetched;

    BlockSequence(CounterStore store, String name, int blockSize, @Nullable Executor prefetchExecutor) {
        this.store = store;
        this.name = name;
        this.blockSize = blockSize;
        this.prefetchExecutor = prefetchExecutor;
    }

    @Override
    public long next() {
        lock.lock();
        try {
            if (exhausted) {
                startBlock(nextBlockEnd());
            }
            long id = next;
            if (id == end) {
                exhausted = true;
            }
            else {
                next = id + 1;
            }
            if (prefetchExecutor != null && prefetched == null && end - id < (blockSize + 1) / 2) {
                prefetch(prefetchExecutor);
            }
            return id;
        }
        finally {
            lock.unlock();
        }
    }

    private void startBlock(long blockEnd) {
        end = blockEnd;
        next = blockEnd - blockSize + 1;
        exhausted = false;
    }

    /** The end of the next block: the prefetched one if it arrived (or is on its way), else reserved now. */
    private long nextBlockEnd() {
        CompletableFuture<Long> pending = prefetched;
        prefetched = null;
        if (pending != null) {
            try {
                return pending.join();
            }
            catch (CompletionException ex) {
                // a failed background reservation reserved nothing: reserve here, so that a lasting
                // failure reaches the caller with its own stack
                if (ex.getCause() instanceof ArithmeticException overflow) {
                    throw overflow;
                }
            }
        }
        return reserve();
    }

    private long reserve() {
        return store.addAndGet(name, blockSize);
    }

    private void prefetch(Executor executor) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(reserve());
                }
                catch (Throwable ex) {
                    future.completeExceptionally(ex);
                }
            });
            prefetched = future;
        }
        catch (RejectedExecutionException ignore) {
            // the prefetch pool is busy or shut down: the next block is then reserved when it is needed
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public String toString() {
        return "Sequence '" + name + "' (blocks of " + blockSize + ")";
    }
}
