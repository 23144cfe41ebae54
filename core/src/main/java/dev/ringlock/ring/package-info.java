/**
 * Consistent-hash routing: the immutable {@link dev.ringlock.ring.HashRing}, the live
 * {@link dev.ringlock.ring.HashRingRouter}, and the {@link dev.ringlock.ring.Membership} SPI that each
 * backend implements. Nothing in this package knows a backend.
 */
@NullMarked
package dev.ringlock.ring;

import org.jspecify.annotations.NullMarked;
