package dev.ringlock.sample;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import org.springframework.stereotype.Service;

/**
 * Pays orders at most once. The lock makes "check, then pay" atomic across threads and instances; the
 * fencing token, admitted by the ledger before any write, lets the ledger refuse a holder that lost its lock
 * without knowing it.
 */
@Service
public class PaymentService {

    private final PaymentLedger ledger;

    PaymentService(PaymentLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Pays the order unless it is paid already.
     * @throws StaleTokenException if the ledger saw a newer lock holder of this order
     * @throws dev.ringlock.lock.LockNotAcquiredException if the order stayed locked by others for 10 seconds
     */
    @DistributedLock(key = "'order:' + #orderId", waitTime = "10s")
    public Payment pay(String orderId) {
        LockHandle lock = LockContext.current().orElseThrow();
        long token = lock.fencingToken();
        ledger.admit(orderId, token);
        long payments = ledger.payments(orderId);
        if (payments > 0) {
            return new Payment(orderId, token, false, payments);
        }
        return new Payment(orderId, token, true, ledger.recordPayment(orderId));
    }
}
