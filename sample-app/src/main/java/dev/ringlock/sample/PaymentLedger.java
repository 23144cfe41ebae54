package dev.ringlock.sample;

import dev.ringlock.counter.CounterTemplate;
import org.springframework.stereotype.Component;

/**
 * The payments of each order and the last fencing token that wrote to it, kept in Ringlock counters so that
 * every instance of the sample shares one ledger. It plays the database of the fencing-token pattern: a
 * writer whose token is not newer than the last one admitted for the order is refused, so a holder that lost
 * its lock without knowing it (paused past its lease) cannot pay behind the next holder's back.
 * <p>
 * A real ledger writes the token and the payment in one transaction (see the README's SQL); two counters
 * updated one after the other stand in for it here, which is enough while the lock serialises the writers.
 */
@Component
class PaymentLedger {

    private final CounterTemplate counters;

    PaymentLedger(CounterTemplate counters) {
        this.counters = counters;
    }

    /**
     * Admits a writer for {@code orderId} that holds {@code token}.
     * @throws StaleTokenException if a writer with this or a newer token was admitted before
     */
    void admit(String orderId, long token) {
        String name = tokenCounter(orderId);
        long last = counters.get(name);
        // compare-and-set, not set: a stale writer racing with a fresh one must never move the token back
        if (token <= last || !counters.compareAndSet(name, last, token)) {
            throw new StaleTokenException(orderId, token, counters.get(name));
        }
    }

    /** How many payments the order has; more than one is a double payment. */
    long payments(String orderId) {
        return counters.get(paymentCounter(orderId));
    }

    /** Books one payment of the order and returns how many it has now. */
    long recordPayment(String orderId) {
        return counters.incrementAndGet(paymentCounter(orderId));
    }

    /** The last fencing token admitted for the order, 0 if none. */
    long lastToken(String orderId) {
        return counters.get(tokenCounter(orderId));
    }

    private static String paymentCounter(String orderId) {
        return "ledger:" + orderId + ":payments";
    }

    private static String tokenCounter(String orderId) {
        return "ledger:" + orderId + ":token";
    }
}
