package dev.ringlock.virtualthreads;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;

/** The application's locked method: logs its entry and exit with the fencing token of the lock it holds. */
class LockedService {

    private final LockLog log;

    LockedService(LockLog log) {
        this.log = log;
    }

    @DistributedLock(key = "'vt:' + #key", waitTime = "2m")
    public void work(String key) {
        long token = LockContext.current().orElseThrow().fencingToken();
        log.enter(key, token);
        // a yield gives the other virtual threads on this carrier a turn inside the lock, so an overlap would show
        Thread.yield();
        log.exit(key, token);
    }
}
