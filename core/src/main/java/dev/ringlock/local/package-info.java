/**
 * In-JVM implementations, for single-instance applications and for tests of applications that use
 * Ringlock. Chosen only when {@code ringlock.backend=local} is set, never by detection.
 */
@NullMarked
package dev.ringlock.local;

import org.jspecify.annotations.NullMarked;
