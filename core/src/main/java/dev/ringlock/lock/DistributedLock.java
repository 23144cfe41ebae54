package dev.ringlock.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Runs the annotated method while holding the distributed lock named by {@link #key()}.
 * <p>
 * The lock is released when the method returns or throws; for a method returning a
 * {@link java.util.concurrent.CompletionStage}, or a Reactor {@code Mono}/{@code Flux}, it is held until
 * the result completes. A nested call, in the same call chain, to an annotated method with the same key
 * re-enters the lock instead of waiting for itself. Inside the method, {@link LockContext#current()}
 * gives the {@link LockHandle} and its fencing token.
 * <p>
 * If the lock is lost while the method runs (lease not renewed, session expired), a
 * {@link LockLostEvent} is published and, by default, {@link LockLostException} is thrown when the method
 * returns (see {@code ringlock.lock.on-lost}).
 * <p>
 * An ahead-of-time build (a native image) registers every annotated method of a bean for reflection, so that
 * the annotation and the parameter names that {@link #key()} refers to are there at run time.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
// the interceptor reads the annotation and the method's parameter names (for #orderId) by reflection
@Reflective
public @interface DistributedLock {

    /**
     * The lock key, as a SpEL expression over the method's arguments: by name ({@code #orderId}), by
     * position ({@code #p0}, {@code #a0}), and beans ({@code @tenants.current()}). A literal key must be
     * quoted: {@code "'nightly-report'"}. The result must not be null or blank.
     */
    String key();

    /**
     * How long to wait for the lock, as a duration ({@code "500ms"}, {@code "5s"}, {@code "PT1M"});
     * empty means {@code ringlock.lock.wait-time}. {@code "0s"} tries once.
     */
    String waitTime() default "";

    /**
     * The lease of a Redis lock, renewed by the watchdog while the method runs; empty means
     * {@code ringlock.lock.lease-time}. ZooKeeper locks live with the session instead. It reaches the
     * template through {@link LockTemplate#tryAcquire(String, java.time.Duration, java.time.Duration)}: an
     * application's own {@link LockTemplate} that does not override that method applies its own lease.
     */
    String leaseTime() default "";

    /**
     * How long at least the lock stays held after it was acquired, as a duration ({@code "50s"}); empty or zero
     * means no hold. A method that returns sooner leaves the lock taken for the others until the hold has run,
     * so that a job scheduled on many instances ({@code waitTime = "0s", onFailure = SKIP}) runs once per
     * period even when the instances' schedules or clocks drift apart (ShedLock's {@code lockAtLeastFor}). The
     * hold is measured by the server where the backend allows it (see {@link LockRequest}); it may be longer
     * than the lease. It reaches the template through
     * {@link LockTemplate#tryAcquire(String, java.time.Duration, java.time.Duration, java.time.Duration)}.
     */
    String holdAtLeast() default "";

    /**
     * {@link LockMode#WRITE} (the default) is the exclusive lock; {@link LockMode#READ} shares the key with other
     * readers. Every backend of Ringlock has read locks; a backend of another author without them refuses READ
     * with an {@link UnsupportedLockKindException}.
     */
    LockMode mode() default LockMode.WRITE;

    /**
     * How many holders the key admits at once; more than 1 makes it a permit lock (WRITE only). Every use of a key
     * must give the same number; for a literal key that is checked at start-up.
     */
    int permits() default 1;

    /** What to do when the lock is not acquired within the wait time. */
    FailureStrategy onFailure() default FailureStrategy.THROW;
}
