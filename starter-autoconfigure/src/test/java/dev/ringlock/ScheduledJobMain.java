package dev.ringlock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.DistributedLockInterceptor;
import dev.ringlock.lock.FailureStrategy;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.redis.RedisKeyspace;
import dev.ringlock.redis.RedisLockProvider;
import dev.ringlock.testsupport.TestClients;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import dev.ringlock.zookeeper.ZooKeeperPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryNTimes;
import org.springframework.aop.framework.autoproxy.DefaultAdvisorAutoProxyCreator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * One instance of an application with a scheduled job that must run once per period across instances, driven by
 * {@link FrozenHolderProcess}: a Spring application context with {@code @EnableScheduling} and the
 * {@code @DistributedLock} advisor, whose {@link NightlyJob} is scheduled every {@value #RATE_MILLIS} ms and holds
 * its lock for {@value #HOLD} after acquiring it. Each run reads the log server's {@code TIME} (microseconds), so
 * that the runs of all instances are timed by one clock, none of theirs, and appends
 * {@code <TIME>:<token>:<elapsed>} to a list there: that time, the fencing token of the run's lock, and the
 * microseconds from the start of the run to the answer of {@code TIME}, by this JVM's monotonic clock (at least how
 * much later than the run's start its time was taken).
 * Arguments: {@code redis <host:port>} or {@code zookeeper <connect string>}, key prefix, and the log server's
 * {@code host:port} and list key. Commands on stdin: {@code start} (refreshes the context: the schedule begins;
 * answers {@code started}), {@code stop} (closes it: no run starts after the answer {@code stopped}), {@code exit}.
 */
public final class ScheduledJobMain {

    static final long RATE_MILLIS = 100;
    static final String HOLD = "1s";

    private ScheduledJobMain() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        String address = args[1];
        String prefix = args[2];
        String[] logAddress = args[3].split(":");
        String logKey = args[4];

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        LockProvider provider;
        AutoCloseable client;
        if (backend.equals("redis")) {
            String[] hostPort = address.split(":");
            LettuceConnectionFactory factory = TestClients.redis(hostPort[0], Integer.parseInt(hostPort[1]));
            RedisLockProvider redisProvider = new RedisLockProvider(factory, new RedisKeyspace(prefix), scheduler,
                    LockLossListener.NONE, Duration.ofMillis(100));
            redisProvider.afterPropertiesSet();
            provider = redisProvider;
            client = () -> {
                redisProvider.destroy();
                factory.destroy();
            };
        }
        else {
            CuratorFramework curator = TestClients.zookeeper(address, 10_000, new RetryNTimes(3, 100));
            ZooKeeperLockProvider zooKeeperProvider = new ZooKeeperLockProvider(curator, new ZooKeeperPaths(prefix),
                    scheduler, LockLossListener.NONE);
            zooKeeperProvider.afterPropertiesSet();
            provider = zooKeeperProvider;
            client = () -> {
                zooKeeperProvider.destroy();
                curator.close();
            };
        }
        LettuceConnectionFactory logFactory = TestClients.redis(logAddress[0], Integer.parseInt(logAddress[1]));
        StringRedisTemplate log = new StringRedisTemplate(logFactory);
        // the log connection is opened before the schedule starts, so the first run does not pay for it
        log.hasKey(logKey);

        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(LockTemplate.class,
                () -> new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW));
        context.registerBean(NightlyJob.class, () -> new NightlyJob(new RunLog(log, logKey)));
        context.register(JobConfiguration.class);
        FrozenHolderMain.answer("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "start" -> {
                    context.refresh();
                    FrozenHolderMain.answer("started");
                }
                case "stop" -> {
                    // waits for a run under way; its lock's hold stays on the server
                    context.close();
                    FrozenHolderMain.answer("stopped");
                }
                case "exit" -> {
                    context.close();
                    client.close();
                    logFactory.destroy();
                    scheduler.shutdownNow();
                    FrozenHolderMain.answer("bye");
                    return;
                }
                default -> FrozenHolderMain.answer("unknown command " + line);
            }
        }
    }

    /** The job: the same on every instance. */
    public static class NightlyJob {

        private final RunLog runLog;

        NightlyJob(RunLog runLog) {
            this.runLog = runLog;
        }

        @Scheduled(fixedRate = RATE_MILLIS)
        @DistributedLock(key = "'nightly'", waitTime = "0s", onFailure = FailureStrategy.SKIP, holdAtLeast = HOLD)
        public void run() {
            runLog.append(System.nanoTime(), LockContext.current().orElseThrow().fencingToken());
        }
    }

    /** The log of the runs of every instance: one list on the log server. */
    record RunLog(StringRedisTemplate log, String key) {

        void append(long startedNanos, long token) {
            Long time = log.execute((RedisCallback<Long>) connection -> connection.serverCommands()
                    .time(TimeUnit.MICROSECONDS));
            long elapsedMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startedNanos);
            log.opsForList().rightPush(key, time + ":" + token + ":" + elapsedMicros);
        }
    }

    /** Scheduling and the lock advisor, wired as an application without Spring Boot does. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class JobConfiguration {

        @Bean
        static DefaultAdvisorAutoProxyCreator autoProxyCreator() {
            DefaultAdvisorAutoProxyCreator creator = new DefaultAdvisorAutoProxyCreator();
            creator.setProxyTargetClass(true);
            return creator;
        }

        @Bean
        static DistributedLockAdvisor distributedLockAdvisor(BeanFactory beanFactory) {
            return new DistributedLockAdvisor(new DistributedLockInterceptor(() -> beanFactory.getBean(LockTemplate.class),
                    () -> Duration.ofSeconds(5), () -> LockLostPolicy.THROW, beanFactory));
        }
    }
}
