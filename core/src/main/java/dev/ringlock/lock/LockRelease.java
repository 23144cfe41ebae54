package dev.ringlock.lock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The end of work that ran under a lock, shared by {@link DefaultLockTemplate#executeWithLock} and
 * {@link DistributedLockInterceptor}: release, then apply the {@link LockLostPolicy} if the handle could no
 * longer vouch for the lock at that moment.
 */
final class LockRelease {

    // the template's logger, as before the interceptor shared this step: log configurations name it
    private static final Log logger = LogFactory.getLog(DefaultLockTemplate.class);

    private LockRelease() {
    }

    /**
     * Releases {@code handle} after its work finished normally.
     * @param where where the work ran, for the log line: {@code "on redis"}, {@code "in OrderService.pay()"}
     * @throws LockLostException if the lock was lost and the policy is {@link LockLostPolicy#THROW}
     */
    static void afterWork(LockHandle handle, LockLostPolicy policy, String where) {
        boolean valid = handle.isValid();
        handle.close();
        if (!valid) {
            if (policy == LockLostPolicy.THROW) {
                throw new LockLostException(handle.key(), handle.fencingToken());
            }
            // One line for this event, the end of work that ran without a valid lock; the loss itself, if the
            // lock was taken, has had its own line from the loss listener when it was found.
            logger.warn("Work guarded by lock '" + handle.key() + "' (token " + handle.fencingToken() + ") " + where
                    + " finished after the lock was lost or could no longer be confirmed; "
                    + "ringlock.lock.on-lost=log, so its result is kept");
        }
    }
}
