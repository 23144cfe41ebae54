package dev.ringlock.leader

import dev.ringlock.local.LocalLeaderElectionProvider
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.springframework.aop.framework.ProxyFactory
import java.util.concurrent.atomic.AtomicInteger

/**
 * `@LeaderOnly` on a `suspend fun`: the leader runs it to completion, with its leadership in [LeaderContext] on any
 * thread, and a follower skips it with `null`. On a function returning a `Flow`: the leader's flow emits, a
 * follower's is empty (never `null`).
 */
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

        val terms: MutableList<Long> = java.util.Collections.synchronizedList(ArrayList())

        @LeaderOnly(group = "reports")
        open suspend fun report(): String? {
            delay(1)
            calls.incrementAndGet()
            // on another thread, after a suspension
            terms.add(withContext(Dispatchers.IO) { LeaderContext.current().orElseThrow().term() })
            return "ran"
        }

        @LeaderOnly(group = "reports")
        open fun lines(): Flow<String> = flow {
            calls.incrementAndGet()
            emit("first")
            emit("second")
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
        assertThat(leaderTarget.terms).`as`("the term inside the suspend body").hasSize(2)
            .containsOnly(first.join("reports").term())
        assertThat(followerTarget.calls.get()).`as`("no body ran on the follower").isZero()
    }

    @Test
    fun theLeadersFlowEmitsAndAFollowersFlowIsEmpty() {
        val leaderTarget = Reports()
        val followerTarget = Reports()
        val leader = proxy(leaderTarget, first)
        val follower = proxy(followerTarget, second)

        runBlocking {
            assertThat(leader.lines().toList()).`as`("the first caller joins and leads").containsExactly("first", "second")
            assertThat(follower.lines().toList()).`as`("skipped on the follower").isEmpty()
        }
        assertThat(leaderTarget.calls.get()).isEqualTo(1)
        assertThat(followerTarget.calls.get()).`as`("no body ran on the follower").isZero()
    }
}
