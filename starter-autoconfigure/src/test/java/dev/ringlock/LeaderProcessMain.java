package dev.ringlock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.leader.LeadershipGrantedEvent;
import dev.ringlock.leader.LeadershipListener;
import dev.ringlock.leader.LeadershipRevokedEvent;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLeaderElectionProvider;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.zookeeper.ZooKeeperLeaderElectionProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryNTimes;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A candidate for a group's leadership in a JVM of its own, driven by {@link FrozenHolderProcess}: the tests kill
 * this process with SIGKILL, or freeze it with SIGSTOP and thaw it. It uses the backend's
 * {@link LeaderElectionProvider} directly, without Spring Boot. Arguments: backend ({@code redis} or
 * {@code zookeeper}), address ({@code host:port}, or a connect string), key prefix, group, member id, lease (Redis) or session timeout (ZooKeeper) in ms.
 * <p>
 * Commands, one per line on stdin; each answer is one line on stdout starting with {@value FrozenHolderMain#ANSWER}:
 * <ul>
 * <li>{@code status}: answers {@code leader=<isLeader()> term=<term()> revokes=<revoke events so far>
 * leader-seen=<leader(), or none>}, reading {@code isLeader()} first, before anything else runs;</li>
 * <li>{@code exit}: closes the candidacy (handing the leadership over) and the client, answers {@code bye} and
 * ends.</li>
 * </ul>
 * Each grant and revoke is logged to stdout as it happens, starting with {@value FrozenHolderProcess#EVENT}:
 * {@code granted term=<n>} or {@code revoked term=<n> reason=<reason>}, so that the test keeps a log of them
 * from outside.
 */
public final class LeaderProcessMain {

    private LeaderProcessMain() {
    }

    /** A started provider and how to close it with its client. */
    private record Backend(LeaderElectionProvider provider, AutoCloseable client) {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        String address = args[1];
        String prefix = args[2];
        String group = args[3];
        String memberId = args[4];
        Duration leaseOrSession = Duration.ofMillis(Long.parseLong(args[5]));

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Backend started = start(backend, address, prefix, leaseOrSession, scheduler);
        AtomicInteger revokes = new AtomicInteger();
        Leadership leadership = started.provider().join(group, memberId);
        leadership.addListener(new LeadershipListener() {

            @Override
            public void granted(LeadershipGrantedEvent event) {
                event("granted term=" + event.term());
            }

            @Override
            public void revoked(LeadershipRevokedEvent event) {
                revokes.incrementAndGet();
                event("revoked term=" + event.term() + " reason=" + event.reason());
            }
        });
        FrozenHolderMain.answer("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "status" -> {
                    // read validity first: right after a thaw, before the scheduler has had a chance to run
                    boolean leader = leadership.isLeader();
                    FrozenHolderMain.answer("leader=" + leader + " term=" + leadership.term() + " revokes="
                            + revokes.get() + " leader-seen=" + leadership.leader().orElse("none"));
                }
                case "exit" -> {
                    leadership.close();
                    started.client().close();
                    scheduler.shutdownNow();
                    FrozenHolderMain.answer("bye");
                    return;
                }
                default -> FrozenHolderMain.answer("unknown command " + line);
            }
        }
    }

    /** The one backend-specific part: a started provider on {@code address}, and how to close it. */
    private static Backend start(String backend, String address, String prefix, Duration leaseOrSession,
            ScheduledExecutorService scheduler) {
        switch (backend) {
            case "redis" -> {
                String[] hostPort = address.split(":");
                LettuceConnectionFactory factory = TestClients.redis(hostPort[0], Integer.parseInt(hostPort[1]));
                RedisLeaderElectionProvider provider = new RedisLeaderElectionProvider(factory,
                        new RedisKeyspace(prefix), scheduler, leaseOrSession, Duration.ofMillis(200));
                provider.afterPropertiesSet();
                return new Backend(provider, () -> {
                    provider.destroy();
                    factory.destroy();
                });
            }
            case "zookeeper" -> {
                CuratorFramework curator = TestClients.zookeeper(address, (int) leaseOrSession.toMillis(),
                        new RetryNTimes(3, 100));
                ZooKeeperLeaderElectionProvider provider = new ZooKeeperLeaderElectionProvider(curator,
                        new ZooKeeperPaths(prefix), scheduler);
                provider.afterPropertiesSet();
                return new Backend(provider, () -> {
                    provider.destroy();
                    curator.close();
                });
            }
            default -> throw new IllegalArgumentException("Unknown backend '" + backend
                    + "': expected redis or zookeeper");
        }
    }

    private static void event(String text) {
        System.out.println(FrozenHolderProcess.EVENT + text);
        System.out.flush();
    }
}
