package dev.ringlock.redis

import dev.ringlock.kotlin.AbstractCoroutineLockTests
import dev.ringlock.lock.LockLossListener
import dev.ringlock.lock.LockProvider
import dev.ringlock.testsupport.RedisServerExtension
import dev.ringlock.testsupport.TestClients
import dev.ringlock.testsupport.contract.LockProviderFixture
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.extension.RegisterExtension
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors

/** Coroutines under `@DistributedLock` on [RedisLockProvider], against a real `redis-server`. */
class RedisCoroutineLockTests : AbstractCoroutineLockTests() {

    override fun fixture(): LockProviderFixture = Clients

    /** Each client a provider on a connection of its own, as a separate process would have. */
    private object Clients : LockProviderFixture {
        val scheduler = Executors.newScheduledThreadPool(2)
        private val factories = ConcurrentHashMap<LockProvider, LettuceConnectionFactory>()

        override fun createClient(lossListener: LockLossListener): LockProvider {
            val factory = TestClients.redis(redis.host(), redis.port())
            val provider = RedisLockProvider(factory, RedisKeyspace("ringlock-kotlin"), scheduler, lossListener,
                Duration.ofSeconds(1))
            provider.afterPropertiesSet()
            factories[provider] = factory
            return provider
        }

        override fun closeClient(client: LockProvider) {
            (client as RedisLockProvider).destroy()
            factories.remove(client)?.destroy()
        }

        override fun assertNothingLeftBehind(client: LockProvider) {
            val provider = client as RedisLockProvider
            await().atMost(Duration.ofSeconds(5)).untilAsserted {
                assertThat(provider.waitingKeys()).`as`("lock keys with registered waiters").isZero()
                assertThat(provider.gatedKeys()).`as`("lock keys with threads queued at the local gate").isZero()
                assertThat(provider.watchedLeases()).`as`("leases still renewed").isZero()
            }
        }

        override fun leaseTime(): Duration = Duration.ofSeconds(2)
    }

    companion object {
        @JvmField
        @RegisterExtension
        val redis = RedisServerExtension()

        @JvmStatic
        @AfterAll
        fun stopScheduler() {
            Clients.scheduler.shutdownNow()
        }
    }
}
