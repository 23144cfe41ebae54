package dev.ringlock.bench.leader;

import java.util.Map;

/**
 * One library's leader election with its own client, as one application instance would set it up, with the
 * session and lease settings of the leader rows. Two contenders of one kind are two instances.
 */
interface LeaderContender extends AutoCloseable {

    /** Becomes a candidate in {@code group}; {@code granted} runs on the library's thread at each grant. */
    Candidate join(String group, Runnable granted) throws Exception;

    /** The settings the rows state beside the numbers (session timeout, lease, poll and heartbeat intervals). */
    Map<String, String> settings();

    /** A candidacy of one contender in one group. */
    interface Candidate extends AutoCloseable {

        boolean isLeader();

        /** Gives the leadership up cleanly, the way the library offers, and stays (or becomes again) a candidate. */
        void yieldLeadership() throws Exception;

        @Override
        void close() throws Exception;
    }
}
