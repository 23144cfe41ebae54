package dev.ringlock.support;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;

/**
 * The one scheduler thread Ringlock runs: lease renewals, session checks and heartbeats, however many
 * locks are held. Its tasks only send requests and never wait for answers, so one thread is enough.
 */
public final class RinglockScheduler implements DisposableBean {

    private final ScheduledThreadPoolExecutor executor;

    public RinglockScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ringlock-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        // cancelled renewals (every released lock) must not pile up in the queue until their due time
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public ScheduledExecutorService executor() {
        return Executors.unconfigurableScheduledExecutorService(executor);
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
