package dev.ringlock.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class InterruptsTests {

    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void anInterruptDuringTheWaitDoesNotEndItAndIsSetAgainOnReturn() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Boolean> interruptKept = threads.submit(() -> {
            waiter.set(Thread.currentThread());
            assertThat(Interrupts.getThroughInterrupts(answer, Duration.ofSeconds(30))).isEqualTo("released");
            return Thread.currentThread().isInterrupted();
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> waiter.get() != null && waiter.get().getState() == Thread.State.TIMED_WAITING);

        waiter.get().interrupt();
        waiter.get().interrupt();
        answer.complete("released");

        assertThat(interruptKept.get(10, TimeUnit.SECONDS)).as("the interrupt, set again").isTrue();
    }

    @Test
    void noAnswerInTimeIsATimeout() {
        assertThatExceptionOfType(TimeoutException.class)
                .isThrownBy(() -> Interrupts.getThroughInterrupts(new CompletableFuture<>(), Duration.ofMillis(20)));
    }
}
