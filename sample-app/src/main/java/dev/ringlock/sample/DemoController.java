package dev.ringlock.sample;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /demo} starts a payment demo run (409 while one runs); {@code GET /demo} reports its progress
 * and, at the end, its result.
 */
@RestController
@RequestMapping("/demo")
class DemoController {

    private final PaymentDemo demo;

    DemoController(PaymentDemo demo) {
        this.demo = demo;
    }

    /** Starts a run; {@code orders=A-1,A-2} names the orders (e.g. the same on several instances). */
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    DemoStatus start(@RequestParam(name = "orders", required = false) List<String> orders) {
        return demo.start(orders == null ? List.of() : orders);
    }

    @GetMapping
    DemoStatus status() {
        return demo.status();
    }
}
