/**
 * Distributed locks: the {@link dev.ringlock.lock.DistributedLock} annotation, the programmatic
 * {@link dev.ringlock.lock.LockTemplate}, and the {@link dev.ringlock.lock.LockProvider} SPI that each
 * backend implements. Nothing in this package knows a backend.
 */
@NullMarked
package dev.ringlock.lock;

import org.jspecify.annotations.NullMarked;
