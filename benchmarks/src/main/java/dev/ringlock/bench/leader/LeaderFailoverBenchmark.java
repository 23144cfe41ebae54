package dev.ringlock.bench.leader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.ringlock.bench.BenchEnv;

/**
 * Leader failover rows, not JMH (each trial takes seconds): for each contender, the time from {@code kill -9} of
 * the leader's process to the grant of a candidate already waiting in this JVM, and the time from a clean yield
 * to the other candidate's grant. Contenders alternate trial by trial. Writes
 * {@code $RINGLOCK_BENCH_OUT/leader/<contender>.txt} as {@code key=value} lines.
 * <p>
 * {@code LeaderFailoverBenchmark [kill trials] [yield trials] [contender...]}; defaults 5, 20 and all.
 */
public final class LeaderFailoverBenchmark {

    private static final long GRANT_TIMEOUT_SECONDS = 30;

    private final Random random = new Random(18);

    private LeaderFailoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int yields = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> names = args.length > 2 ? List.of(args).subList(2, args.length) : LeaderContenders.ALL;
        new LeaderFailoverBenchmark().run(kills, yields, names);
        System.exit(0);
    }

    private void run(int kills, int yields, List<String> names) throws Exception {
        Map<String, List<Double>> killMs = new LinkedHashMap<>();
        Map<String, List<Double>> yieldMs = new LinkedHashMap<>();
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        for (String name : names) {
            killMs.put(name, new ArrayList<>());
            yieldMs.put(name, new ArrayList<>());
            // warm-up, not counted
            yieldBatch(name, 2, new ArrayList<>(), settings);
        }
        int perRound = Math.max(1, yields / Math.max(1, kills));
        for (int round = 0; round < Math.max(kills, 1); round++) {
            for (String name : names) {
                if (round < kills) {
                    killMs.get(name).add(killTrial(name, round));
                }
                yieldBatch(name, Math.min(perRound, yields - yieldMs.get(name).size()), yieldMs.get(name), settings);
            }
        }
        double ping = RoundTrips.redisPingP50Micros();
        double exists = RoundTrips.zooKeeperExistsP50Micros();
        double wakeUp = RoundTrips.wakeUpP50Micros();
        for (String name : names) {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("contender", name);
            out.putAll(settings.get(name));
            put(out, "kill", killMs.get(name));
            put(out, "yield", yieldMs.get(name));
            boolean zk = LeaderContenders.onZooKeeper(name);
            out.put("roundTrip.what", zk ? "ZooKeeper exists" : "Redis PING");
            out.put("roundTrip.p50Micros", String.format("%.1f", zk ? exists : ping));
            out.put("wakeUp.p50Micros", String.format("%.1f", wakeUp));
            Path file = BenchEnv.outDir().resolve("leader").resolve(name + ".txt");
            Files.createDirectories(file.getParent());
            String text = out.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.println(">> " + file + "\n" + text);
        }
    }

    private static void put(Map<String, String> out, String what, List<Double> samples) {
        List<Double> sorted = samples.stream().sorted().toList();
        out.put(what + ".trials", Integer.toString(sorted.size()));
        if (sorted.isEmpty()) {
            return;
        }
        out.put(what + ".p50Ms", String.format("%.3f", sorted.get((sorted.size() - 1) / 2)));
        out.put(what + ".minMs", String.format("%.3f", sorted.get(0)));
        out.put(what + ".maxMs", String.format("%.3f", sorted.get(sorted.size() - 1)));
        out.put(what + ".samplesMs", sorted.stream().map(v -> String.format("%.3f", v)).collect(Collectors.joining(",")));
    }

    /** The leader in a child process, killed with SIGKILL; this JVM's candidate, already waiting, is timed. */
    private double killTrial(String name, int round) throws Exception {
        String group = "kill-" + name + "-" + System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LeaderCandidateMain.class.getName(), name, group)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (LeaderContender contender = LeaderContenders.create(name)) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.equals("LEADING")) {
                // the child's other output
            }
            if (line == null) {
                throw new IllegalStateException(name + ": the leader process ended before it led");
            }
            AtomicLong grantedAt = new AtomicLong();
            CountDownLatch granted = new CountDownLatch(1);
            try (LeaderContender.Candidate candidate = contender.join(group, () -> {
                grantedAt.compareAndSet(0, System.nanoTime());
                granted.countDown();
            })) {
                // let the follower settle, and kill at a random point of the leader's renewal cycle
                Thread.sleep(1_000 + random.nextInt(1_000));
                if (candidate.isLeader()) {
                    throw new IllegalStateException(name + ": the waiting candidate led before the kill");
                }
                long killedAt = System.nanoTime();
                child.destroyForcibly();
                if (!child.waitFor(10, TimeUnit.SECONDS) || child.isAlive()) {
                    throw new IllegalStateException(name + ": the leader process survived SIGKILL");
                }
                if (!granted.await(GRANT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + ": no grant " + GRANT_TIMEOUT_SECONDS + " s after the kill");
                }
                double ms = (grantedAt.get() - killedAt) / 1e6;
                System.out.printf("%s kill %d: %.1f ms (exit %d)%n", name, round, ms, child.exitValue());
                return ms;
            }
        }
        finally {
            child.destroyForcibly();
        }
    }

    /** Two candidates, each with its own client, in this JVM; the leader yields {@code trials} times. */
    private void yieldBatch(String name, int trials, List<Double> samples, Map<String, Map<String, String>> settings)
            throws Exception {
        if (trials <= 0) {
            return;
        }
        String group = "yield-" + name + "-" + System.nanoTime();
        try (LeaderContender a = LeaderContenders.create(name); LeaderContender b = LeaderContenders.create(name)) {
            settings.putIfAbsent(name, a.settings());
            Grants grantsA = new Grants();
            Grants grantsB = new Grants();
            try (LeaderContender.Candidate first = a.join(group, grantsA::granted)) {
                grantsA.await(name);
                try (LeaderContender.Candidate second = b.join(group, grantsB::granted)) {
                    LeaderContender.Candidate[] candidates = { first, second };
                    Grants[] grants = { grantsA, grantsB };
                    int leader = 0;
                    for (int i = 0; i < trials; i++) {
                        Thread.sleep(300); // the follower waits, the yielder has queued again
                        int other = 1 - leader;
                        grants[other].reset();
                        long yieldedAt = System.nanoTime();
                        candidates[leader].yieldLeadership();
                        long grantedAt = grants[other].await(name);
                        samples.add((grantedAt - yieldedAt) / 1e6);
                        leader = other;
                    }
                }
            }
        }
    }

    /** The time of a candidate's latest grant. */
    private static final class Grants {

        private volatile CountDownLatch latch = new CountDownLatch(1);
        private final AtomicLong at = new AtomicLong();

        void granted() {
            at.set(System.nanoTime());
            latch.countDown();
        }

        void reset() {
            latch = new CountDownLatch(1);
        }

        long await(String name) throws InterruptedException {
            if (!latch.await(GRANT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": no grant within " + GRANT_TIMEOUT_SECONDS + " s");
            }
            return at.get();
        }
    }
}
