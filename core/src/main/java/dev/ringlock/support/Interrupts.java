package dev.ringlock.support;

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
}
