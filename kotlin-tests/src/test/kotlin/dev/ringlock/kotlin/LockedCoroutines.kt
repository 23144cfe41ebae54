package dev.ringlock.kotlin

import dev.ringlock.lock.DistributedLock
import dev.ringlock.lock.LockContext
import dev.ringlock.lock.LockHandle
import dev.ringlock.lock.LockMode
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withContext
import java.util.Collections

/** One event of the outside log: a coroutine entered or left its locked body, with its fencing token. */
data class LockEvent(val entered: Boolean, val token: Long)

/** The suspend funs and flows the tests lock; open, so that Spring's class proxy can override them. */
open class LockedCoroutines {

    val log: MutableList<LockEvent> = Collections.synchronizedList(ArrayList())

    /** This object's proxy, for calls that go through the interceptor again. */
    lateinit var self: LockedCoroutines

    /** The outer handle, and the one a nested call on the same key sees after a suspension on [other]. */
    @DistributedLock(key = "#key", waitTime = "0s")
    open suspend fun outer(key: String, other: CoroutineDispatcher): Pair<LockHandle?, LockHandle?> {
        val outer = LockContext.current().orElse(null)
        val inner = withContext(other) { self.inner(key) }
        return outer to inner
    }

    /** No wait: it would fail if it did not re-enter its caller's lock. */
    @DistributedLock(key = "#key", waitTime = "0s")
    open suspend fun inner(key: String): LockHandle? {
        delay(1)
        return LockContext.current().orElse(null)
    }

    @DistributedLock(key = "#key", waitTime = "60s")
    open suspend fun enterAndLeave(key: String) {
        val token = LockContext.current().orElseThrow().fencingToken()
        log.add(LockEvent(true, token))
        delay(1) // suspends, and may resume on another thread of the dispatcher, while it holds the lock
        log.add(LockEvent(false, token))
    }

    @DistributedLock(key = "#key", waitTime = "30s")
    open suspend fun holdUntil(key: String, entered: CompletableDeferred<LockHandle>, done: CompletableDeferred<Unit>): String {
        entered.complete(LockContext.current().orElseThrow())
        done.await()
        return "done $key"
    }

    @DistributedLock(key = "#key", waitTime = "30s")
    open suspend fun holdForever(key: String, entered: CompletableDeferred<Unit>): String {
        entered.complete(Unit)
        awaitCancellation()
    }

    @DistributedLock(key = "#key", waitTime = "30s")
    open suspend fun fail(key: String): String {
        delay(1)
        throw IllegalStateException("failed under $key")
    }

    /** The handle before a suspension, on the other dispatcher, and after coming back. */
    @DistributedLock(key = "#key", waitTime = "30s")
    open suspend fun handlesAcross(key: String, other: CoroutineDispatcher): List<Pair<LockHandle?, Thread>> {
        val before = LockContext.current().orElse(null) to Thread.currentThread()
        val there = withContext(other) {
            delay(1)
            LockContext.current().orElse(null) to Thread.currentThread()
        }
        delay(1)
        val after = LockContext.current().orElse(null) to Thread.currentThread()
        return listOf(before, there, after)
    }

    @DistributedLock(key = "#key", mode = LockMode.READ, waitTime = "30s")
    open suspend fun read(key: String, entered: CompletableDeferred<Unit>, done: CompletableDeferred<Unit>) {
        entered.complete(Unit)
        done.await()
    }

    @DistributedLock(key = "#key", permits = 2, waitTime = "30s")
    open suspend fun permit(key: String, entered: CompletableDeferred<Unit>, done: CompletableDeferred<Unit>) {
        entered.complete(Unit)
        done.await()
    }

    @DistributedLock(key = "{#first, #second}", waitTime = "30s")
    open suspend fun both(first: String, second: String, entered: CompletableDeferred<Unit>, done: CompletableDeferred<Unit>) {
        entered.complete(Unit)
        done.await()
    }

    /** A suspend fun that returns a flow: locked while it runs and while its flow is collected. */
    @DistributedLock(key = "#key", waitTime = "30s")
    open suspend fun numbersLater(key: String, entered: CompletableDeferred<Unit>, done: CompletableDeferred<Unit>): Flow<Int> {
        delay(1)
        return numbers(key, entered, done)
    }

    /** A flow locked while it is collected: emits, suspends until [done], emits again. */
    @DistributedLock(key = "#key", waitTime = "30s")
    open fun numbers(key: String, entered: CompletableDeferred<Unit>, done: CompletableDeferred<Unit>): Flow<Int> = flow {
        emit(1)
        entered.complete(Unit)
        done.await()
        emit(2)
    }
}
