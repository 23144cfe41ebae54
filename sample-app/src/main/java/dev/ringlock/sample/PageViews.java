package dev.ringlock.sample;

import dev.ringlock.counter.CounterTemplate;
import org.springframework.stereotype.Component;

/**
 * Views of the sample's page, counted across every instance with one shared counter.
 */
@Component
class PageViews {

    static final String COUNTER = "page-views";

    private final CounterTemplate counters;

    PageViews(CounterTemplate counters) {
        this.counters = counters;
    }

    /** Counts one view and returns the total. */
    long record() {
        return counters.incrementAndGet(COUNTER);
    }

    long count() {
        return counters.get(COUNTER);
    }
}
