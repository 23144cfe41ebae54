package dev.ringlock.sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.lock.LockNotAcquiredException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Fires many concurrent payment attempts at a few orders, in the background, and counts from the outside
 * what happened: every order must end up paid exactly once. One run at a time per instance.
 * <p>
 * Without orders named, a run pays fresh orders from {@link OrderNumbers}; named orders let several
 * instances run against the same orders at once, where only the distributed lock keeps them apart.
 */
@Component
class PaymentDemo implements DisposableBean {

    static final int MAX_ORDERS = 20;

    private static final Logger logger = LoggerFactory.getLogger(PaymentDemo.class);

    private final PaymentService payments;
    private final PaymentLedger ledger;
    private final OrderNumbers orderNumbers;
    private final Backends backends;
    private final SampleProperties.Demo settings;
    private final AtomicReference<@Nullable DemoRun> last = new AtomicReference<>();
    private volatile @Nullable Thread runner;

    PaymentDemo(PaymentService payments, PaymentLedger ledger, OrderNumbers orderNumbers, Backends backends,
            SampleProperties properties) {
        this.payments = payments;
        this.ledger = ledger;
        this.orderNumbers = orderNumbers;
        this.backends = backends;
        this.settings = properties.getDemo();
    }

    /**
     * Starts a run on {@code orderIds}, or on fresh orders when none are named.
     * @throws DemoAlreadyRunningException if a run is in progress
     * @throws IllegalArgumentException if an order id is invalid or there are too many
     */
    DemoStatus start(List<String> orderIds) {
        List<String> named = validated(orderIds);
        DemoRun previous = last.get();
        if (previous != null && previous.isRunning()) {
            throw new DemoAlreadyRunningException(previous.status());
        }
        List<String> orders = named.isEmpty() ? freshOrders() : named;
        DemoRun run = new DemoRun(orders, orders.size() * settings.getAttemptsPerOrder(), backends.lock());
        if (!last.compareAndSet(previous, run)) {
            DemoRun other = last.get();
            throw new DemoAlreadyRunningException(other != null ? other.status() : run.status());
        }
        Thread thread = new Thread(() -> execute(run), "payment-demo");
        thread.setDaemon(true);
        runner = thread;
        thread.start();
        return run.status();
    }

    /** The run in progress, else the last one, else {@code idle}. */
    DemoStatus status() {
        DemoRun run = last.get();
        return run == null ? DemoStatus.idle(backends.lock()) : run.status();
    }

    @Override
    public void destroy() {
        Thread thread = runner;
        if (thread != null) {
            // the run stops its workers and reports itself failed; the context is closing anyway
            thread.interrupt();
        }
    }

    private List<String> freshOrders() {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < settings.getOrders(); i++) {
            orders.add(orderNumbers.next());
        }
        return orders;
    }

    private static List<String> validated(List<String> orderIds) {
        Set<String> orders = new LinkedHashSet<>();
        for (String orderId : orderIds) {
            orders.add(OrderNumbers.requireValidId("orders", orderId == null ? null : orderId.trim()));
        }
        if (orders.size() > MAX_ORDERS) {
            throw new IllegalArgumentException("'orders' names " + orders.size() + " orders; at most " + MAX_ORDERS);
        }
        return List.copyOf(orders);
    }

    private void execute(DemoRun run) {
        logger.info("Payment demo: {} concurrent attempts on {} from {} threads, locks on {}", run.total(),
                run.orders(), settings.getThreads(), run.backend());
        long started = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(settings.getThreads(),
                new CustomizableThreadFactory("payment-demo-"));
        try {
            List<Future<Payment>> attempts = new ArrayList<>(run.total());
            for (int attempt = 0; attempt < settings.getAttemptsPerOrder(); attempt++) {
                for (String orderId : run.orders()) {
                    attempts.add(workers.submit(() -> attempt(run, orderId)));
                }
            }
            Tally tally = new Tally();
            for (Future<Payment> attempt : attempts) {
                tally.add(attempt);
            }
            long doublePayments = run.orders().stream().filter(orderId -> ledger.payments(orderId) > 1).count();
            DemoResult result = tally.result(run, doublePayments, (System.nanoTime() - started) / 1_000_000);
            run.finish(result);
            logger.info("Payment demo finished: {}", result.summary());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            run.fail("interrupted");
        }
        catch (RuntimeException ex) {
            logger.warn("Payment demo failed", ex);
            run.fail(ex.toString());
        }
        finally {
            workers.shutdownNow();
        }
    }

    private Payment attempt(DemoRun run, String orderId) {
        try {
            return payments.pay(orderId);
        }
        finally {
            run.attemptDone();
        }
    }

    /** Adds up the attempts' outcomes; used by the run's own thread only. */
    private static final class Tally {

        private final Set<String> tokens = new HashSet<>();
        private int payments;
        private int alreadyPaid;
        private int stale;
        private int timeouts;
        private int errors;

        void add(Future<Payment> attempt) throws InterruptedException {
            try {
                Payment payment = attempt.get();
                tokens.add(payment.orderId() + "#" + payment.fencingToken());
                if (payment.paid()) {
                    payments++;
                }
                else {
                    alreadyPaid++;
                }
            }
            catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof StaleTokenException) {
                    stale++;
                }
                else if (cause instanceof LockNotAcquiredException) {
                    timeouts++;
                }
                else {
                    if (errors++ == 0) {
                        logger.warn("A payment attempt failed", cause);
                    }
                }
            }
        }

        DemoResult result(DemoRun run, long doublePayments, long tookMillis) {
            int sectionsRun = payments + alreadyPaid + stale;
            return new DemoResult(run.orders(), run.total(), sectionsRun, payments, alreadyPaid, doublePayments,
                    tokens.size(), stale, timeouts, errors, tookMillis, run.backend());
        }
    }
}
