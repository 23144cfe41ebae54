package dev.ringlock.sample;

import java.time.Instant;

/**
 * One run of a scheduled job on this instance.
 * @param at when it ran
 * @param fence the leader's term or the lock's fencing token it ran under
 * @param runs the job's runs by every instance, this one included
 */
record JobRun(Instant at, long fence, long runs) {
}
