package dev.ringlock.leader

import dev.ringlock.local.LocalLeaderElectionProvider
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.springframework.aop.framework.ProxyFactory
import java.util.concurrent.atomic.AtomicInteger

/** `@LeaderOnly` on a `suspend fun`: the leader runs it to completion, a follower skips it with `null`. */
class SuspendingLeaderOnlyTests {

    private val provider = LocalLeaderElectionProvider()
    private val first = DefaultLeaderElection("member-1", provider, null)
    private val second = DefaultLeaderElection("member-2", provider, null)

    @AfterEach
    fun leave() {
        first.close()
        second.close()
    }

    open class Reports {
        val calls = AtomicInteger()

        @LeaderOnly(group = "reports")
        open suspend fun report(): String? {
            delay(1)
            calls.incrementAndGet()
            return "ran"
        }
    }

    private fun proxy(target: Reports, election: LeaderElection): Reports {
        val factory = ProxyFactory(target)
        factory.isProxyTargetClass = true
        factory.addAdvisor(LeaderOnlyAdvisor(LeaderOnlyInterceptor(election)))
        return factory.proxy as Reports
    }

    @Test
    fun theLeaderRunsASuspendFunAndAFollowerSkipsIt() {
        val leaderTarget = Reports()
        val followerTarget = Reports()
        val leader = proxy(leaderTarget, first)
        val follower = proxy(followerTarget, second)

        runBlocking {
            assertThat(leader.report()).`as`("the first caller joins and leads").isEqualTo("ran")
            assertThat(follower.report()).`as`("skipped on the follower").isNull()
            assertThat(leader.report()).isEqualTo("ran")
        }
        assertThat(leaderTarget.calls.get()).isEqualTo(2)
        assertThat(followerTarget.calls.get()).`as`("no body ran on the follower").isZero()
    }
}
