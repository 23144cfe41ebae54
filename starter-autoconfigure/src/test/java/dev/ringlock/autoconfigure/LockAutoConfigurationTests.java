package dev.ringlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.TrackedLockProvider;
import dev.ringlock.local.LocalLockProvider;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.FailureStrategy;
import dev.ringlock.lock.InvalidLockDeclarationException;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockKeyEvaluationException;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostException;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.LockRequest;
import dev.ringlock.lock.LockTemplate;
import dev.ringlock.redis.RedisLockProvider;
import dev.ringlock.zookeeper.ZooKeeperLockProvider;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.retry.RetryOneTime;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Backend selection, overrides, detection, user beans and start-up failures, against real servers.
 */
class LockAutoConfigurationTests extends AbstractAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RinglockAutoConfiguration.class,
                    ZooKeeperClientAutoConfiguration.class, LockAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    AopAutoConfiguration.class));

    private ApplicationContextRunner withServers() {
        return runner.withPropertyValues(redisProperties());
    }

    @Test
    void redisBackendWhenNamed() {
        withServers().withPropertyValues("ringlock.backend=redis").run(context -> {
            assertThat(context).hasSingleBean(RedisLockProvider.class).hasSingleBean(DefaultLockTemplate.class);
            assertThat(backendProvider(context.getBean(DefaultLockTemplate.class))).isSameAs(context.getBean(LockProvider.class));
            try (LockHandle handle = context.getBean(LockTemplate.class).acquire("auto-config-redis", Duration.ofSeconds(1))) {
                assertThat(handle.isValid()).isTrue();
            }
        });
    }

    @Test
    void zookeeperBackendWhenNamedBuildsAClientFromProperties() {
        AtomicReference<CuratorFramework> clientOfTheContext = new AtomicReference<>();
        withServers().withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect(),
                "ringlock.zookeeper.session-timeout=12s").run(context -> {
            assertThat(context).hasSingleBean(ZooKeeperLockProvider.class).hasSingleBean(CuratorFramework.class);
            CuratorFramework client = context.getBean(CuratorFramework.class);
            assertThat(client.getZookeeperClient().getCurrentConnectionString()).isEqualTo(zookeeper.connectString());
            try (LockHandle handle = context.getBean(LockTemplate.class).acquire("auto-config-zk", Duration.ofSeconds(1))) {
                assertThat(handle.isValid()).isTrue();
            }
            clientOfTheContext.set(client);
        });
        assertThat(clientOfTheContext.get().getState()).as("client closed with the context")
                .isEqualTo(CuratorFrameworkState.STOPPED);
    }

    @Test
    void curatorCustomizersShapeTheClientRinglockBuilds() {
        withServers().withPropertyValues("ringlock.backend=zookeeper", zookeeperConnect())
                .withBean(CuratorFrameworkBuilderCustomizer.class, () -> builder -> builder.namespace("customized"))
                .run(context -> assertThat(context.getBean(CuratorFramework.class).getNamespace()).isEqualTo("customized"));
    }

    @Test
    void aLostLockIsPublishedAsAnApplicationEvent() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.key-prefix=events",
                "ringlock.lock.lease-time=600ms").withUserConfiguration(LostLocks.class).run(context -> {
            LockHandle handle = context.getBean(LockTemplate.class).acquire("stolen", Duration.ofSeconds(1));
            // someone deletes the lock behind the holder's back: the next renewal finds it gone
            assertThat(context.getBean(StringRedisTemplate.class).delete("events:lock:{stolen}")).isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(context.getBean(LostLocks.class).events)
                    .extracting(LockLostEvent::key, LockLostEvent::backend, LockLostEvent::fencingToken)
                    .containsExactly(tuple("stolen", "redis", handle.fencingToken())));
            assertThat(handle.isValid()).isFalse();
            handle.close();
        });
    }

    @Test
    void onLostLogKeepsTheResultOfAMethodWhoseLockWasLost() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.key-prefix=on-lost",
                "ringlock.lock.lease-time=600ms", "ringlock.lock.on-lost=log")
                .withUserConfiguration(LostLocks.class, StolenLockService.class).run(context -> {
                    assertThat(context.getBean(StolenLockService.class).work("report")).isEqualTo("done");
                    assertThat(context.getBean(LostLocks.class).events).extracting(LockLostEvent::key)
                            .containsExactly("report");
                });
    }

    @Test
    void onLostThrowIsTheDefault() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.key-prefix=on-lost",
                "ringlock.lock.lease-time=600ms")
                .withUserConfiguration(LostLocks.class, StolenLockService.class).run(context ->
                        assertThatExceptionOfType(LockLostException.class)
                                .isThrownBy(() -> context.getBean(StolenLockService.class).work("invoice"))
                                .satisfies(ex -> assertThat(ex.key()).isEqualTo("invoice")));
    }

    @Test
    void theLockWrapsTheTransactionSoTheCommitHappensWhileItIsHeld() {
        runner.withPropertyValues("ringlock.backend=local")
                .withUserConfiguration(RecordingTransactions.class, TransactionalService.class)
                .run(context -> {
                    List<String> events = context.getBean(RecordingTransactions.class).events;
                    context.getBean(TransactionalService.class).transfer(events);
                    assertThat(events).containsExactly("begin, locked: true", "work, locked: true", "commit, locked: true");
                });
    }

    @Test
    void localBackendOnlyWhenNamed() {
        runner.withPropertyValues("ringlock.backend=local").run(context ->
                assertThat(context).hasSingleBean(LocalLockProvider.class));
    }

    @Test
    void featureBackendOverridesTheGlobalOne() {
        withServers().withPropertyValues("ringlock.backend=redis", "ringlock.lock.backend=local").run(context ->
                assertThat(context).hasSingleBean(LocalLockProvider.class).doesNotHaveBean(RedisLockProvider.class));
    }

    @Test
    void backendNamesAreCaseInsensitive() {
        withServers().withPropertyValues("ringlock.backend=Redis").run(context ->
                assertThat(context).hasSingleBean(RedisLockProvider.class));
    }

    @Test
    void detectsZooKeeperFromTheConnectStringBeforeRedis() {
        withServers().withPropertyValues(zookeeperConnect()).run(context ->
                assertThat(context).hasSingleBean(ZooKeeperLockProvider.class));
    }

    @Test
    void detectsZooKeeperFromAUserCuratorFramework() {
        withServers().withUserConfiguration(UserCuratorConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(ZooKeeperLockProvider.class).hasSingleBean(CuratorFramework.class);
            assertThat(context).getBean("userCurator").isSameAs(context.getBean(CuratorFramework.class));
        });
    }

    @Test
    void detectsRedisFromTheConnectionFactory() {
        withServers().run(context -> assertThat(context).hasSingleBean(RedisLockProvider.class));
    }

    @Test
    void userLockProviderWins() {
        withServers().withPropertyValues("ringlock.backend=redis").withBean(LockProvider.class, LocalLockProvider::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(LockProvider.class).doesNotHaveBean(RedisLockProvider.class);
                    assertThat(backendProvider(context.getBean(DefaultLockTemplate.class))).isInstanceOf(LocalLockProvider.class);
                });
    }

    @Test
    void userLockTemplateWins() {
        LockTemplate custom = new DefaultLockTemplate(new LocalLockProvider(), Duration.ofSeconds(5),
                dev.ringlock.lock.LockLostPolicy.LOG);
        runner.withPropertyValues("ringlock.backend=local").withBean("customTemplate", LockTemplate.class, () -> custom)
                .run(context -> assertThat(context).getBean(LockTemplate.class).isSameAs(custom));
    }

    @Test
    void annotatedMethodsAcquireThroughTheApplicationsOwnTemplate() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.lock.wait-time=2s")
                .withUserConfiguration(RecordingTemplateConfiguration.class, NestedOrders.class).run(context -> {
                    assertThat(context).hasSingleBean(LockTemplate.class).doesNotHaveBean(DefaultLockTemplate.class);
                    RecordingLockTemplate template = context.getBean(RecordingLockTemplate.class);
                    NestedOrders orders = context.getBean(NestedOrders.class);

                    LockHandle inside = orders.outer("42");
                    // the nested call on the same key re-entered: the template was asked once, and its handle was
                    // the one both methods saw, released when the outer one returned
                    assertThat(template.calls).containsExactly("tryAcquire order:42 wait PT2S");
                    assertThat(template.handles).containsExactly(inside);
                    assertThat(inside.isValid()).isFalse();

                    try (LockHandle held = template.acquire("busy", Duration.ZERO)) {
                        assertThat(orders.skipWhenBusy()).isNull();
                        assertThat(held.isValid()).isTrue();
                    }
                    assertThat(template.calls).endsWith("tryAcquire busy wait PT0S");
                });
    }

    @Test
    void aTemplateThatTakesNoLeaseKeepsItsOwnWhenTheAnnotationNamesOne() {
        runner.withPropertyValues("ringlock.backend=local")
                .withUserConfiguration(RecordingTemplateConfiguration.class, NestedOrders.class).run(context -> {
                    LockHandle inside = context.getBean(NestedOrders.class).inner("7");
                    assertThat(inside.key()).isEqualTo("order:7");
                    // RecordingLockTemplate does not override tryAcquire(key, wait, lease): the lease is checked and
                    // the call goes to tryAcquire(key, wait), so the template's own lease (5s) applies
                    assertThat(context.getBean(RecordingLockTemplate.class).calls)
                            .containsExactly("tryAcquire order:7 wait PT10S");
                    assertThat(context.getBean(RecordingLockProvider.class).requests)
                            .extracting(LockRequest::leaseTime).containsExactly(Duration.ofSeconds(5));
                });
    }

    @Test
    void ringlocksTemplateGivesAnnotatedMethodsTheirLease() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.lock.lease-time=20s")
                .withBean(RecordingLockProvider.class, RecordingLockProvider::new)
                .withUserConfiguration(NestedOrders.class).run(context -> {
                    NestedOrders orders = context.getBean(NestedOrders.class);
                    orders.inner("1");
                    orders.skipWhenBusy();
                    assertThat(context.getBean(RecordingLockProvider.class).requests)
                            .extracting(LockRequest::key, LockRequest::leaseTime)
                            .containsExactly(tuple("order:1", Duration.ofSeconds(45)), tuple("busy", Duration.ofSeconds(20)));
                });
    }

    @Test
    void ringlocksTemplateGivesAnnotatedMethodsTheirHold() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.lock.lease-time=20s")
                .withBean(RecordingLockProvider.class, RecordingLockProvider::new)
                .withUserConfiguration(ScheduledJobs.class).run(context -> {
                    ScheduledJobs jobs = context.getBean(ScheduledJobs.class);
                    assertThat(jobs.nightly()).isEqualTo("ran");
                    assertThat(jobs.noHold()).isEqualTo("ran");
                    assertThat(context.getBean(RecordingLockProvider.class).requests)
                            .extracting(LockRequest::key, LockRequest::leaseTime, LockRequest::holdAtLeast)
                            .containsExactly(tuple("nightly", Duration.ofSeconds(20), Duration.ofSeconds(50)),
                                    tuple("no-hold", Duration.ofSeconds(20), Duration.ZERO));
                });
    }

    @Test
    void aTemplateThatTakesNoHoldRefusesAnAnnotatedHoldInsteadOfIgnoringIt() {
        runner.withPropertyValues("ringlock.backend=local")
                .withUserConfiguration(RecordingTemplateConfiguration.class, ScheduledJobs.class).run(context -> {
                    ScheduledJobs jobs = context.getBean(ScheduledJobs.class);
                    assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(jobs::nightly)
                            .withMessageContaining("RecordingLockTemplate").withMessageContaining("'holdAtLeast'");
                    assertThat(jobs.noHold()).isEqualTo("ran");
                });
    }

    @Test
    void negativeHoldFailsAtStartUpNamingTheAttribute() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(BadHoldService.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure(), InvalidLockDeclarationException.class))
                    .hasMessageContaining("BadHoldService.run()")
                    .hasMessageContaining("'holdAtLeast' \"-PT1S\" must be zero or positive");
        });
    }

    @Test
    void noBackendFailsWithWhatToSet() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                            .hasMessageContaining("Ringlock lock has no backend: none is set and none was detected");
                });
    }

    @Test
    void namedZooKeeperWithoutConnectStringFails() {
        withServers().withPropertyValues("ringlock.backend=zookeeper").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                    .hasMessageContaining("'ringlock.zookeeper.connect-string' is not set");
        });
    }

    @Test
    void namedRedisWithoutSpringDataRedisFails() {
        runner.withPropertyValues("ringlock.backend=redis")
                .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                            .hasMessageContaining("Redis is chosen but there is no single RedisConnectionFactory");
                });
    }

    @Test
    void namedRedisWithoutTheRedisModuleFailsNamingTheStarter() {
        // Spring Data Redis is there (for the application's own use), ringlock-redis is not
        withServers().withPropertyValues("ringlock.backend=redis")
                .withClassLoader(new FilteredClassLoader("dev.ringlock.redis."))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoBackendException.class)
                            .hasMessage("Ringlock lock has no backend: redis is chosen but ringlock-redis is not on the "
                                    + "classpath");
                    assertThat(new NoBackendFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                            .startsWith("Add the dependency dev.ringlock:ringlock-spring-boot-starter-redis");
                });
    }

    @Test
    void aCuratorClientWithoutTheZooKeeperModuleIsNotDetectedAsTheBackend() {
        // as in an application with Spring Cloud ZooKeeper and ringlock-spring-boot-starter-redis
        withServers().withPropertyValues(zookeeperConnect())
                .withClassLoader(new FilteredClassLoader("dev.ringlock.zookeeper."))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(RedisLockProvider.class).doesNotHaveBean(CuratorFramework.class);
                    try (LockHandle handle = context.getBean(LockTemplate.class).acquire("module-absent", Duration.ZERO)) {
                        assertThat(handle.fencingToken()).isPositive();
                    }
                });
    }

    @Test
    void unknownBackendFailsNamingTheProperty() {
        runner.withPropertyValues("ringlock.backend=etcd").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("Failed to bind properties under 'ringlock.backend'",
                    "for value [etcd]");
        });
    }

    @Test
    void negativeWaitTimeFailsNamingTheProperty() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.lock.wait-time=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("'ringlock.lock.wait-time' must not be negative, was PT-1S");
        });
    }

    @Test
    void unparsableLeaseTimeFailsNamingTheProperty() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.lock.lease-time=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("Failed to bind properties under 'ringlock.lock.lease-time'", "for value [soon]");
        });
    }

    @Test
    void keyPrefixWithHashTagBracesFails() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.key-prefix=app{1}").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("'ringlock.key-prefix' must not contain '{'");
        });
    }

    @Test
    void zookeeperDownAtStartFails() {
        runner.withPropertyValues("ringlock.backend=zookeeper", "ringlock.zookeeper.connect-string=127.0.0.1:1",
                "ringlock.zookeeper.connection-timeout=500ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("zookeeper at 127.0.0.1:1");
        });
    }

    @Test
    void redisDownAtStartFails() {
        runner.withPropertyValues("ringlock.backend=redis", "spring.data.redis.port=1",
                "spring.data.redis.connect-timeout=500ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isNotNull();
            assertThat(findCause(context.getStartupFailure(), BackendUnavailableException.class))
                    .hasMessageContaining("redis at localhost:1");
        });
    }

    @Test
    void annotatedMethodsRunUnderTheLockAndSeeTheirHandle() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(OrderService.class).run(context -> {
            OrderService orders = context.getBean(OrderService.class);
            LockHandle inside = orders.pay("42");
            assertThat(inside.key()).isEqualTo("order:42");
            assertThat(inside.isValid()).isFalse();
            assertThat(LockContext.current()).isEmpty();
        });
    }

    @Test
    void keyExpressionsCanCallBeans() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(TenantService.class, Tenants.class)
                .run(context -> assertThat(context.getBean(TenantService.class).currentKey()).isEqualTo("tenant:acme"));
    }

    @Test
    void waitTimeDefaultComesFromProperties() {
        runner.withPropertyValues("ringlock.backend=local", "ringlock.lock.wait-time=0s")
                .withUserConfiguration(OrderService.class).run(context -> {
                    LockProvider provider = context.getBean(LockProvider.class);
                    try (LockHandle held = provider.tryAcquire(new LockRequest("order:7", Duration.ZERO, Duration.ofSeconds(30)))
                            .orElseThrow()) {
                        assertThat(context.getBean(OrderService.class).tryPay("7")).isEmpty();
                    }
                });
    }

    @Test
    void aKeyThatEvaluatesToNullIsRefusedNamingTheMethod() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(OrderService.class).run(context ->
                assertThatExceptionOfType(LockKeyEvaluationException.class)
                        .isThrownBy(() -> context.getBean(OrderService.class).cancel(null))
                        .withMessageContaining("OrderService.cancel(String)").withMessageContaining("gave null"));
    }

    @Test
    void skipOnAPrimitiveMethodFailsAtStartUp() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(PrimitiveSkipService.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(findCause(context.getStartupFailure(), InvalidLockDeclarationException.class))
                            .hasMessageContaining("PrimitiveSkipService.count()").hasMessageContaining("SKIP");
                });
    }

    @Test
    void unparsableKeyExpressionFailsAtStartUp() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(BadKeyService.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure(), InvalidLockDeclarationException.class))
                    .hasMessageContaining("BadKeyService.run()").hasMessageContaining("not a valid SpEL expression");
        });
    }

    @Test
    void unparsableWaitTimeFailsAtStartUp() {
        runner.withPropertyValues("ringlock.backend=local").withUserConfiguration(BadWaitService.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure(), InvalidLockDeclarationException.class))
                    .hasMessageContaining("'waitTime' \"five seconds\" is not a duration");
        });
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in " + failure, failure);
    }

    @Component
    static class LostLocks {

        final List<LockLostEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(LockLostEvent event) {
            events.add(event);
        }
    }

    @Component
    static class StolenLockService {

        private final StringRedisTemplate redis;

        StolenLockService(StringRedisTemplate redis) {
            this.redis = redis;
        }

        /** Has its lock deleted behind its back, and finishes once its handle knows. */
        @DistributedLock(key = "#name")
        public String work(String name) {
            LockHandle handle = LockContext.current().orElseThrow();
            assertThat(redis.delete("on-lost:lock:{" + name + "}")).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> !handle.isValid());
            return "done";
        }
    }

    /** A transaction manager that records, with each step, whether the method's lock is held. */
    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class RecordingTransactions {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Bean
        PlatformTransactionManager transactionManager() {
            return new AbstractPlatformTransactionManager() {
                @Override
                protected Object doGetTransaction() {
                    return new Object();
                }

                @Override
                protected void doBegin(Object transaction, TransactionDefinition definition) {
                    events.add("begin, locked: " + locked());
                }

                @Override
                protected void doCommit(DefaultTransactionStatus status) {
                    events.add("commit, locked: " + locked());
                }

                @Override
                protected void doRollback(DefaultTransactionStatus status) {
                    events.add("rollback, locked: " + locked());
                }
            };
        }

        private static boolean locked() {
            return LockContext.current().map(LockHandle::isValid).orElse(false);
        }
    }

    @Component
    static class TransactionalService {

        @Transactional
        @DistributedLock(key = "'account:1'")
        public void transfer(List<String> events) {
            events.add("work, locked: " + LockContext.current().orElseThrow().isValid());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCuratorConfiguration {

        @Bean(destroyMethod = "close")
        CuratorFramework userCurator() {
            CuratorFramework client = CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryOneTime(100));
            client.start();
            return client;
        }
    }

    @Component
    static class OrderService {

        @DistributedLock(key = "'order:' + #orderId")
        public LockHandle pay(String orderId) {
            return LockContext.current().orElseThrow();
        }

        @DistributedLock(key = "#orderId")
        public void cancel(String orderId) {
        }

        @DistributedLock(key = "'order:' + #p0", onFailure = FailureStrategy.SKIP)
        public Optional<String> tryPay(String orderId) {
            return Optional.of(orderId);
        }
    }

    /** An application's own template: records each call and acquires through Ringlock's over a local provider. */
    static class RecordingLockTemplate implements LockTemplate {

        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<LockHandle> handles = new CopyOnWriteArrayList<>();
        private final DefaultLockTemplate delegate;

        RecordingLockTemplate(LockProvider provider) {
            this.delegate = new DefaultLockTemplate(provider, Duration.ofSeconds(5), LockLostPolicy.THROW);
        }

        @Override
        public LockHandle acquire(String key, Duration waitTime) {
            return delegate.acquire(key, waitTime);
        }

        @Override
        public Optional<LockHandle> tryAcquire(String key, Duration waitTime) {
            calls.add("tryAcquire " + key + " wait " + waitTime);
            Optional<LockHandle> handle = delegate.tryAcquire(key, waitTime);
            handle.ifPresent(handles::add);
            return handle;
        }

        @Override
        public <T> T executeWithLock(String key, Duration waitTime, java.util.concurrent.Callable<T> action) {
            return delegate.executeWithLock(key, waitTime, action);
        }
    }

    /** A local lock provider that records the requests it gets. */
    static class RecordingLockProvider implements LockProvider {

        final List<LockRequest> requests = new CopyOnWriteArrayList<>();
        private final LocalLockProvider delegate = new LocalLockProvider();

        @Override
        public String backend() {
            return delegate.backend();
        }

        @Override
        public Optional<LockHandle> tryAcquire(LockRequest request) throws InterruptedException {
            requests.add(request);
            return delegate.tryAcquire(request);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingTemplateConfiguration {

        @Bean
        RecordingLockProvider recordingLockProvider() {
            return new RecordingLockProvider();
        }

        @Bean
        RecordingLockTemplate recordingLockTemplate(RecordingLockProvider provider) {
            return new RecordingLockTemplate(provider);
        }
    }

    @Component
    static class NestedOrders {

        private final ObjectProvider<NestedOrders> self;

        NestedOrders(ObjectProvider<NestedOrders> self) {
            this.self = self;
        }

        /** Calls {@link #inner} through the proxy, on the same key. */
        @DistributedLock(key = "'order:' + #orderId")
        public LockHandle outer(String orderId) {
            LockHandle outer = LockContext.current().orElseThrow();
            assertThat(self.getObject().inner(orderId)).isSameAs(outer);
            return outer;
        }

        @DistributedLock(key = "'order:' + #orderId", leaseTime = "45s")
        public LockHandle inner(String orderId) {
            return LockContext.current().orElseThrow();
        }

        @DistributedLock(key = "'busy'", waitTime = "0s", onFailure = FailureStrategy.SKIP)
        public @Nullable String skipWhenBusy() {
            return "ran";
        }
    }

    @Component("tenants")
    static class Tenants {

        public String current() {
            return "acme";
        }
    }

    @Component
    static class TenantService {

        @DistributedLock(key = "'tenant:' + @tenants.current()")
        public String currentKey() {
            return LockContext.current().map(LockHandle::key).orElseThrow();
        }
    }

    @Component
    static class PrimitiveSkipService {

        @DistributedLock(key = "'count'", onFailure = FailureStrategy.SKIP)
        public int count() {
            return 1;
        }
    }

    @Component
    static class BadKeyService {

        @DistributedLock(key = "'unclosed")
        public void run() {
        }
    }

    @Component
    static class BadWaitService {

        @DistributedLock(key = "'job'", waitTime = "five seconds")
        public void run() {
        }
    }

    @Component
    static class ScheduledJobs {

        @DistributedLock(key = "'nightly'", waitTime = "0s", onFailure = FailureStrategy.SKIP, holdAtLeast = "50s")
        public @Nullable String nightly() {
            return "ran";
        }

        /** A zero hold is no hold. */
        @DistributedLock(key = "'no-hold'", waitTime = "0s", onFailure = FailureStrategy.SKIP, holdAtLeast = "0s")
        public @Nullable String noHold() {
            return "ran";
        }
    }

    @Component
    static class BadHoldService {

        @DistributedLock(key = "'job'", holdAtLeast = "-PT1S")
        public void run() {
        }
    }

    /** The backend's provider behind the template's tracking wrapper. */
    private static LockProvider backendProvider(DefaultLockTemplate template) {
        assertThat(template.provider()).isInstanceOf(TrackedLockProvider.class);
        return ((TrackedLockProvider) template.provider()).delegate();
    }
}
