package smoke.zookeeper;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import org.springframework.stereotype.Service;

/**
 * A service method guarded by a distributed lock.
 */
@Service
public class SmokeService {

    /** Runs under the lock {@code smoke:<id>} and returns the fencing token of its handle. */
    @DistributedLock(key = "'smoke:' + #id")
    public long fencingTokenOf(String id) {
        return LockContext.current().map(LockHandle::fencingToken)
                .orElseThrow(() -> new IllegalStateException("'smoke:" + id + "' ran without its lock"));
    }
}
