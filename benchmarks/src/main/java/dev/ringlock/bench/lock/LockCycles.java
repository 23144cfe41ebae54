package dev.ringlock.bench.lock;

import dev.ringlock.bench.HandOverRecorder;

/** One contended lock cycle with its hand-over stamps, the same for every contender. */
final class LockCycles {

    private LockCycles() {
    }

    static void handOver(Locker locker, HandOverRecorder recorder, String[] keys, int slot) throws Exception {
        long waitStarted = System.nanoTime();
        Object held = locker.lock(keys[slot]);
        recorder.entered(slot, waitStarted, System.nanoTime());
        recorder.releasing(slot);
        locker.unlock(held);
    }
}
