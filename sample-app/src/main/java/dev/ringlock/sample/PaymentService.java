package dev.ringlock.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import org.springframework.stereotype.Service;

/**
 * Pays orders at most once. The lock makes "check, then pay" atomic across instances; the fencing token,
 * stored with the payment, lets the ledger refuse a holder that lost its lock without knowing it.
 */
@Service
public class PaymentService {

    private final Map<String, Long> lastTokenByOrder = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> paymentsByOrder = new ConcurrentHashMap<>();

    /** Pays the order unless it is paid already; returns whether this call paid it. */
    @DistributedLock(key = "'order:' + #orderId", waitTime = "10s")
    public boolean pay(String orderId) {
        LockHandle lock = LockContext.current().orElseThrow();
        if (paymentsByOrder.computeIfAbsent(orderId, id -> new AtomicInteger()).get() > 0) {
            return false;
        }
        Long last = lastTokenByOrder.get(orderId);
        if (last != null && last >= lock.fencingToken()) {
            throw new IllegalStateException("stale fencing token " + lock.fencingToken() + " for order " + orderId);
        }
        lastTokenByOrder.put(orderId, lock.fencingToken());
        paymentsByOrder.get(orderId).incrementAndGet();
        return true;
    }

    /** How many payments each order got; more than one is a double payment. */
    public Map<String, Integer> paymentsByOrder() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        paymentsByOrder.forEach((order, count) -> counts.put(order, count.get()));
        return counts;
    }
}
