package dev.ringlock.kotlin

import dev.ringlock.lock.LockContext
import dev.ringlock.lock.LockHandle
import dev.ringlock.lock.LockMode
import dev.ringlock.lock.LockRequest
import dev.ringlock.testsupport.contract.AbstractLockProviderTests
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExecutorCoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

/**
 * `@DistributedLock` on Kotlin `suspend fun`s and `Flow`s, through a Spring class proxy on a real backend: the lock
 * is held until the coroutine completes, on whatever threads it resumes, and released on completion, failure or
 * cancellation. A backend runs it by returning its fixture from [fixture].
 */
abstract class AbstractCoroutineLockTests : AbstractLockProviderTests() {

    private lateinit var dispatcher: ExecutorCoroutineDispatcher
    private lateinit var other: ExecutorCoroutineDispatcher

    @BeforeEach
    fun startDispatchers() {
        val threads = AtomicInteger()
        dispatcher = Executors.newFixedThreadPool(4) { Thread(it, "coroutines-" + threads.incrementAndGet()) }
            .asCoroutineDispatcher()
        other = Executors.newSingleThreadExecutor { Thread(it, "other") }.asCoroutineDispatcher()
    }

    @AfterEach
    fun stopDispatchers() {
        dispatcher.close()
        other.close()
    }

    private fun service(): LockedCoroutines = proxy(LockedCoroutines(), newClient())

    @Test
    fun twoHundredCoroutinesOnFourThreadsNeverOverlapAndTakeTokensInEntryOrder() {
        val target = LockedCoroutines()
        val service = proxy(target, newClient())
        val key = key("contended")

        runBlocking(dispatcher) {
            (1..200).map { async { service.enterAndLeave(key) } }.awaitAll()
        }

        val log = synchronized(target.log) { target.log.toList() }
        assertThat(log).hasSize(400)
        log.chunked(2).forEach { (entry, exit) ->
            assertThat(entry.entered).`as`("an entry, not an overlap, at %s", entry).isTrue()
            assertThat(exit).`as`("the exit of the entry before it").isEqualTo(LockEvent(false, entry.token))
        }
        assertThat(log.filter { it.entered }.map { it.token }).isSorted().doesNotHaveDuplicates()
        assertFree(newClient(), key)
    }

    @Test
    fun aCoroutineThatSuspendsWhileHoldingKeepsTheLock() {
        val service = service()
        val key = key("suspended")
        val entered = CompletableDeferred<LockHandle>()
        val done = CompletableDeferred<Unit>()

        runBlocking(dispatcher) {
            val call = async { service.holdUntil(key, entered, done) }
            entered.await()
            assertHeldElsewhere(newClient(), key)
            done.complete(Unit)
            assertThat(call.await()).isEqualTo("done $key")
        }
        await().untilAsserted { assertFree(newClient(), key) }
    }

    @Test
    fun cancellationWhileWaitingLeavesNothingHeld() {
        val service = service()
        val key = key("cancelled-waiting")
        val holderEntered = CompletableDeferred<LockHandle>()
        val holderDone = CompletableDeferred<Unit>()
        val waiterEntered = CompletableDeferred<LockHandle>()

        runBlocking(dispatcher) {
            val holder = async { service.holdUntil(key, holderEntered, holderDone) }
            holderEntered.await()
            // started undispatched: the waiter has subscribed, so is waiting for the lock, when launch returns
            val waiter = launch(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
                service.holdUntil(key, waiterEntered, CompletableDeferred(Unit))
            }
            waiter.cancelAndJoin()
            holderDone.complete(Unit)
            holder.await()
        }

        val next = template(newClient()).tryAcquire(key, Duration.ofSeconds(10))
        assertThat(next).`as`("the lock, free once the holder left").isPresent()
        next.get().close()
        assertThat(waiterEntered.isCompleted).`as`("the cancelled waiter ran its body").isFalse()
    }

    @Test
    fun cancellationWhileHoldingReleases() {
        val service = service()
        val key = key("cancelled-holding")
        val entered = CompletableDeferred<Unit>()

        runBlocking(dispatcher) {
            val holder = launch { service.holdForever(key, entered) }
            entered.await()
            assertHeldElsewhere(newClient(), key)
            holder.cancelAndJoin()
        }
        await().untilAsserted { assertFree(newClient(), key) }
    }

    @Test
    fun aFailingCoroutineReleasesAndThrows() {
        val service = service()
        val key = key("failing")

        assertThatThrownBy { runBlocking(dispatcher) { service.fail(key) } }
            .isInstanceOf(IllegalStateException::class.java).hasMessage("failed under $key")
        await().untilAsserted { assertFree(newClient(), key) }
    }

    @Test
    fun theHandleIsReachableAfterASuspensionOnAnotherThread() {
        val service = service()
        val key = key("handle")

        val seen = runBlocking(dispatcher) {
            val seen = service.handlesAcross(key, other)
            assertThat(LockContext.current()).`as`("no handle after the call").isEmpty()
            seen
        }

        val (before, there, after) = seen
        assertThat(before.first).isNotNull()
        assertThat(before.first!!.key()).isEqualTo(key)
        assertThat(there.second.name).isEqualTo("other")
        assertThat(before.second.name).startsWith("coroutines-")
        assertThat(there.first).`as`("the handle on the other thread").isSameAs(before.first)
        assertThat(after.first).`as`("the handle back on the dispatcher").isSameAs(before.first)
        assertThat(LockContext.current()).`as`("no handle on the test thread").isEmpty()
    }

    @Test
    fun aNestedCallOnTheSameKeyReEntersAfterASuspensionOnAnotherThread() {
        val target = LockedCoroutines()
        val service = proxy(target, newClient())
        target.self = service
        val key = key("nested")

        val (outer, inner) = runBlocking(dispatcher) { service.outer(key, other) }

        assertThat(outer).isNotNull()
        assertThat(inner).`as`("the nested call's handle").isSameAs(outer)
        await().untilAsserted { assertFree(newClient(), key) }
    }

    @Test
    fun readLocksAreSharedAndExcludeAWriterUntilTheCoroutinesComplete() {
        val service = service()
        val key = key("read")
        val entered = List(2) { CompletableDeferred<Unit>() }
        val done = CompletableDeferred<Unit>()

        runBlocking(dispatcher) {
            val readers = entered.map { async { service.read(key, it, done) } }
            entered.awaitAll() // both inside at once
            withContext(Dispatchers.IO) { assertHeldElsewhere(newClient(), key) }
            done.complete(Unit)
            readers.awaitAll()
        }
        await().untilAsserted { assertFree(newClient(), key) }
    }

    @Test
    fun twoPermitsAdmitTwoCoroutinesAndNoThirdUntilOneCompletes() {
        val service = service()
        val key = key("permits")
        val entered = List(2) { CompletableDeferred<Unit>() }
        val done = CompletableDeferred<Unit>()
        val outsider = newClient()

        runBlocking(dispatcher) {
            val holders = entered.map { async { service.permit(key, it, done) } }
            entered.awaitAll()
            val third = withContext(Dispatchers.IO) {
                outsider.tryAcquire(permitRequest(key))
            }
            assertThat(third).`as`("a third permit while two coroutines hold").isEmpty()
            done.complete(Unit)
            holders.awaitAll()
        }
        val again = outsider.tryAcquire(permitRequest(key))
        assertThat(again).`as`("a permit once both completed").isPresent()
        again.get().close()
    }

    @Test
    fun severalKeysAreHeldUntilTheCoroutineCompletes() {
        val service = service()
        val first = key("first")
        val second = key("second")
        val entered = CompletableDeferred<Unit>()
        val done = CompletableDeferred<Unit>()

        runBlocking(dispatcher) {
            val call = async { service.both(first, second, entered, done) }
            entered.await()
            withContext(Dispatchers.IO) {
                assertHeldElsewhere(newClient(), first)
                assertHeldElsewhere(newClient(), second)
            }
            done.complete(Unit)
            call.await()
        }
        await().untilAsserted {
            assertFree(newClient(), first)
            assertFree(newClient(), second)
        }
    }

    @Test
    fun aFlowIsLockedUntilItsCollectionCompletes() {
        val service = service()
        val key = key("flow")
        val entered = CompletableDeferred<Unit>()
        val done = CompletableDeferred<Unit>()

        val flow = service.numbers(key, entered, done)
        assertFree(newClient(), key) // not collected yet
        runBlocking(dispatcher) {
            val collected = async { flow.toList() }
            entered.await()
            withContext(Dispatchers.IO) { assertHeldElsewhere(newClient(), key) }
            done.complete(Unit)
            assertThat(collected.await()).containsExactly(1, 2)
        }
        await().untilAsserted { assertFree(newClient(), key) }
    }

    @Test
    fun theFlowOfASuspendFunIsLockedUntilItsCollectionCompletes() {
        val target = LockedCoroutines()
        val service = proxy(target, newClient())
        val key = key("suspend-flow")
        val entered = CompletableDeferred<Unit>()
        val done = CompletableDeferred<Unit>()

        runBlocking(dispatcher) {
            // the target's own flow inside: the lock is the suspend fun's, held until its flow completes
            val collected = async { service.numbersLater(key, entered, done).toList() }
            entered.await()
            withContext(Dispatchers.IO) { assertHeldElsewhere(newClient(), key) }
            done.complete(Unit)
            assertThat(collected.await()).containsExactly(1, 2)
        }
        await().untilAsserted { assertFree(newClient(), key) }
    }

    private fun permitRequest(key: String) =
        LockRequest(key, Duration.ZERO, fixture().leaseTime(), Duration.ZERO, LockMode.WRITE, 2)
}
