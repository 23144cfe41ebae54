package dev.ringlock.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Giving something back to a server from a thread that was interrupted. A thread closes its lock or leaves an
 * election after an interrupt as often as not (a task cancelled with {@code cancel(true)}, an executor's
 * {@code shutdownNow}, a cancelled reactive call), and a release that gave up at the interrupt would leave the
 * lock or the leadership to its lease or session.
 */
public final class Interrupts {

    private Interrupts() {
    }

    /**
     * Runs {@code release} with the current thread's interrupt flag cleared, so that its waits for the server's
     * answer are not cut short, and sets the flag again afterwards if it was set.
     */
    public static void runClearingInterrupt(Runnable release) {
        boolean interrupted = Thread.interrupted();
        try {
            release.run();
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits up to {@code timeout} for the answer to something given back, whatever interrupts come meanwhile, and
     * sets the flag again on return if one came. The release was sent; only its answer says whether it found the
     * lock still held, and a wait that ended at a second interrupt would leave a loss unreported.
     * @throws TimeoutException when no answer came in time
     */
    public static <T> T getThroughInterrupts(Future<T> answer, Duration timeout)
            throws ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return answer.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
