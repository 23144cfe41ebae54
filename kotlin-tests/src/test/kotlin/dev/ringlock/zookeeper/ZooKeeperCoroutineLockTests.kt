package dev.ringlock.zookeeper

import dev.ringlock.kotlin.AbstractCoroutineLockTests
import dev.ringlock.lock.LockLossListener
import dev.ringlock.lock.LockProvider
import dev.ringlock.testsupport.TestClients
import dev.ringlock.testsupport.ZooKeeperServerExtension
import dev.ringlock.testsupport.contract.LockProviderFixture
import org.apache.curator.framework.CuratorFramework
import org.apache.curator.retry.ExponentialBackoffRetry
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.extension.RegisterExtension
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors

/** Coroutines under `@DistributedLock` on [ZooKeeperLockProvider], against an in-process ZooKeeper server. */
class ZooKeeperCoroutineLockTests : AbstractCoroutineLockTests() {

    override fun fixture(): LockProviderFixture = Clients

    /** Each client a provider on a Curator client of its own, as a separate process would have. */
    private object Clients : LockProviderFixture {
        val scheduler = Executors.newScheduledThreadPool(2)
        private val curators = ConcurrentHashMap<LockProvider, CuratorFramework>()

        override fun createClient(lossListener: LockLossListener): LockProvider {
            val curator = TestClients.zookeeper(zookeeper.connectString(), 10_000, ExponentialBackoffRetry(100, 3))
            val provider = ZooKeeperLockProvider(curator, ZooKeeperPaths("ringlock-kotlin"), scheduler, lossListener)
            provider.afterPropertiesSet()
            curators[provider] = curator
            return provider
        }

        override fun closeClient(client: LockProvider) {
            (client as ZooKeeperLockProvider).destroy()
            curators.remove(client)?.close()
        }

        override fun assertNothingLeftBehind(client: LockProvider) {
            val provider = client as ZooKeeperLockProvider
            await().atMost(Duration.ofSeconds(5))
                .untilAsserted { assertThat(provider.heldHandles()).`as`("handles still watched").isZero() }
        }
    }

    companion object {
        @JvmField
        @RegisterExtension
        val zookeeper = ZooKeeperServerExtension()

        @JvmStatic
        @AfterAll
        fun stopScheduler() {
            Clients.scheduler.shutdownNow()
        }
    }
}
