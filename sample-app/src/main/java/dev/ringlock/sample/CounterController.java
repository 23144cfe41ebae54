package dev.ringlock.sample;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/counters}: the shared counters the page shows.
 */
@RestController
class CounterController {

    private final PageViews pageViews;
    private final OrderNumbers orderNumbers;

    CounterController(PageViews pageViews, OrderNumbers orderNumbers) {
        this.pageViews = pageViews;
        this.orderNumbers = orderNumbers;
    }

    /**
     * @param pageViews views of the page, by every instance
     * @param lastOrderId the last order id this instance handed out
     * @param orderNumbersReserved order numbers reserved by all instances (whole blocks of the sequence)
     */
    record Counters(long pageViews, @Nullable String lastOrderId, long orderNumbersReserved) {
    }

    @GetMapping("/api/counters")
    Counters counters() {
        return new Counters(pageViews.count(), orderNumbers.lastIssued(), orderNumbers.reserved());
    }
}
