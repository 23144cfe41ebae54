package dev.ringlock.sample;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.counter.Sequence;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Order ids {@code ORD-<n>}, with numbers from one {@link Sequence} that every instance draws from: unique
 * across instances, increasing within one.
 */
@Component
class OrderNumbers {

    static final String COUNTER = "order-number";

    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final Sequence numbers;
    private final CounterTemplate counters;
    private final AtomicLong last = new AtomicLong();

    OrderNumbers(CounterTemplate counters) {
        // one round trip per 50 orders; the next block is reserved in the background
        this.numbers = counters.sequence(COUNTER, 50);
        this.counters = counters;
    }

    /** A new order id. */
    String next() {
        long number = numbers.next();
        last.accumulateAndGet(number, Math::max);
        return "ORD-" + number;
    }

    /** The last order id this instance handed out, if any. */
    @Nullable String lastIssued() {
        long number = last.get();
        return number == 0 ? null : "ORD-" + number;
    }

    /** How many order numbers all instances together have reserved (handed out or held in a block). */
    long reserved() {
        return counters.get(COUNTER);
    }

    /**
     * Returns {@code orderId} when it can name an order.
     * @throws IllegalArgumentException naming {@code argument} otherwise
     */
    static String requireValidId(String argument, @Nullable String orderId) {
        if (orderId == null || !VALID_ID.matcher(orderId).matches()) {
            throw new IllegalArgumentException("'" + argument + "' must be 1 to 64 letters, digits or '._:-', was "
                    + (orderId == null ? "null" : "'" + orderId + "'"));
        }
        return orderId;
    }
}
