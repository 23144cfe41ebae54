package dev.ringlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ringlock.support.Durations;
import dev.ringlock.testsupport.TestClients;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances ({@link ScheduledJobMain}, each its own JVM) run the same {@code @Scheduled} job with
 * {@code holdAtLeast} on one backend, for {@value #RUNS} periods or so; then, from the outside log of the runs
 * (timed by the log server's clock alone): about one run per hold in total, and no two runs closer than the hold.
 */
public final class ScheduledJobRuns {

    private static final int INSTANCES = 3;
    private static final int RUNS = 6;

    private ScheduledJobRuns() {
    }

    public static void runAndCheck(String backend, String address, String logHost, int logPort) throws Exception {
        Duration hold = Durations.parse(ScheduledJobMain.HOLD);
        String prefix = "ringlock-scheduled-" + UUID.randomUUID();
        String logKey = prefix + ":runs";
        String logAddress = logHost + ":" + logPort;
        LettuceConnectionFactory factory = TestClients.redis(logHost, logPort);
        List<FrozenHolderProcess> instances = new ArrayList<>();
        try {
            StringRedisTemplate log = new StringRedisTemplate(factory);
            List<CompletableFuture<FrozenHolderProcess>> starting = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                starting.add(CompletableFuture.supplyAsync(() -> start(backend, address, prefix, logAddress, logKey)));
            }
            for (CompletableFuture<FrozenHolderProcess> instance : starting) {
                instances.add(instance.join());
            }
            long from = serverMicros(log);
            for (FrozenHolderProcess instance : instances) {
                instance.sendWithoutAnswer("start");
            }
            for (FrozenHolderProcess instance : instances) {
                assertThat(instance.answer()).isEqualTo("started");
            }
            await().atMost(hold.multipliedBy(RUNS * 3L)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log.opsForList().size(logKey), size -> size >= RUNS);
            for (FrozenHolderProcess instance : instances) {
                instance.sendWithoutAnswer("stop");
            }
            for (FrozenHolderProcess instance : instances) {
                assertThat(instance.answer()).isEqualTo("stopped");
            }
            long to = serverMicros(log);

            List<Long> runs = log.opsForList().range(logKey, 0, -1).stream().map(Long::valueOf).sorted().toList();
            long holdMicros = hold.toNanos() / 1000;
            // The log is written by the run, a little after its lock was acquired, and the hold counts from the
            // acquisition: two runs' entries may be closer than the hold by the time the first took to log.
            long loggingAllowanceMicros = 100_000;
            for (int i = 1; i < runs.size(); i++) {
                assertThat(runs.get(i) - runs.get(i - 1)).as("microseconds between runs %d and %d of %s", i - 1, i, runs)
                        .isGreaterThanOrEqualTo(holdMicros - loggingAllowanceMicros);
            }
            double periods = (double) (Math.max(to, runs.get(runs.size() - 1)) - from) / holdMicros;
            assertThat((double) runs.size()).as("runs in %.2f holds, all instances together: %s", periods, runs)
                    .isBetween(periods - 1, periods + 1);
            for (FrozenHolderProcess instance : instances) {
                assertThat(instance.send("exit")).isEqualTo("bye");
            }
        }
        finally {
            instances.forEach(FrozenHolderProcess::close);
            factory.destroy();
        }
    }

    private static FrozenHolderProcess start(String backend, String address, String prefix, String logAddress,
            String logKey) {
        try {
            return FrozenHolderProcess.start(ScheduledJobMain.class, backend, address, prefix, logAddress, logKey);
        }
        catch (Exception ex) {
            throw new IllegalStateException("could not start an instance of the scheduled job", ex);
        }
    }

    private static long serverMicros(StringRedisTemplate log) {
        Long micros = log.execute((RedisCallback<Long>) connection -> connection.serverCommands().time(TimeUnit.MICROSECONDS));
        assertThat(micros).as("the log server's TIME").isNotNull();
        return micros;
    }
}
