package dev.ringlock.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.lock.LockTemplate;
import dev.ringlock.lock.DefaultLockTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Fires concurrent payments at a few orders and reports how many went through: exactly one per order.
 */
@Component
class PaymentDemo implements ApplicationRunner {

    private static final Logger logger = LoggerFactory.getLogger(PaymentDemo.class);
    private static final int ORDERS = 5;
    private static final int ATTEMPTS_PER_ORDER = 40;

    private final PaymentService payments;
    private final LockTemplate locks;

    PaymentDemo(PaymentService payments, LockTemplate locks) {
        this.payments = payments;
        this.locks = locks;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        String backend = locks instanceof DefaultLockTemplate template ? template.provider().backend() : "custom";
        logger.info("Paying {} orders, {} concurrent attempts each, with locks on {}", ORDERS, ATTEMPTS_PER_ORDER, backend);
        long started = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        List<Future<Boolean>> attempts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int attempt = 0; attempt < ATTEMPTS_PER_ORDER; attempt++) {
                for (int order = 0; order < ORDERS; order++) {
                    String orderId = "A-" + order;
                    attempts.add(pool.submit(() -> {
                        boolean paid = payments.pay(orderId);
                        int finished = done.incrementAndGet();
                        if (finished % 50 == 0) {
                            logger.info("  {}/{} payment attempts done", finished, ORDERS * ATTEMPTS_PER_ORDER);
                        }
                        return paid;
                    }));
                }
            }
            int paid = 0;
            for (Future<Boolean> attempt : attempts) {
                paid += attempt.get() ? 1 : 0;
            }
            long doubles = payments.paymentsByOrder().values().stream().filter(count -> count > 1).count();
            logger.info("Demo finished in {} ms: {} sections run, {} payments, {} double payments",
                    (System.nanoTime() - started) / 1_000_000, attempts.size(), paid, doubles);
        }
        finally {
            pool.shutdownNow();
        }
    }
}
