package dev.ringlock.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;

/**
 * The thread on which the Curator client Ringlock builds runs its {@code runSafe} notifications (a
 * {@code CuratorCache}'s listener calls, such as ring membership changes), in order, as Curator's own would.
 * Curator 5.9 creates that executor itself and never shuts it down when the client is closed, which leaves one
 * idle thread behind per closed client; this one ends with the context, after the client (which depends on it).
 */
final class CuratorNotifyExecutor implements Executor, DisposableBean {

    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ringlock-curator-notify");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
