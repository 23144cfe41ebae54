package dev.ringlock.sample;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orders one at a time: {@code POST /api/orders} makes an order id from the shared sequence,
 * {@code POST /api/orders/{id}/payment} pays it under its lock, {@code GET /api/orders/{id}} shows the
 * ledger's view of it.
 */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    private final OrderNumbers orderNumbers;
    private final PaymentService payments;
    private final PaymentLedger ledger;

    OrderController(OrderNumbers orderNumbers, PaymentService payments, PaymentLedger ledger) {
        this.orderNumbers = orderNumbers;
        this.payments = payments;
        this.ledger = ledger;
    }

    record NewOrder(String orderId) {
    }

    record OrderView(String orderId, long payments, long lastFencingToken) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    NewOrder create() {
        return new NewOrder(orderNumbers.next());
    }

    @PostMapping("/{orderId}/payment")
    Payment pay(@PathVariable String orderId) {
        return payments.pay(OrderNumbers.requireValidId("orderId", orderId));
    }

    @GetMapping("/{orderId}")
    OrderView get(@PathVariable String orderId) {
        OrderNumbers.requireValidId("orderId", orderId);
        return new OrderView(orderId, ledger.payments(orderId), ledger.lastToken(orderId));
    }
}
