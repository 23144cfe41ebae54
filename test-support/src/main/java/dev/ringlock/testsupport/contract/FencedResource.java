package dev.ringlock.testsupport.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * A resource that checks fencing tokens, as the README's ledger does: it refuses a write whose token is older
 * than the newest it accepted, and remembers every write, accepted or not, for the test to inspect.
 */
public final class FencedResource {

    /** One write: the token it carried, who wrote, and whether the resource took it. */
    public record Write(long token, String writer, boolean accepted) {
    }

    private final List<Write> writes = new ArrayList<>();
    private long newest;

    /** Takes the write if {@code token} is at least the newest accepted so far; false if it refused it. */
    public synchronized boolean write(long token, String writer) {
        boolean accepted = token >= newest;
        if (accepted) {
            newest = token;
        }
        writes.add(new Write(token, writer, accepted));
        return accepted;
    }

    public synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    public synchronized List<Write> rejected() {
        return writes.stream().filter(write -> !write.accepted()).toList();
    }

    /** The tokens of the accepted writes, in the order the resource took them. */
    public synchronized List<Long> acceptedTokens() {
        List<Long> tokens = new ArrayList<>();
        writes.stream().filter(Write::accepted).forEach(write -> tokens.add(write.token()));
        return tokens;
    }
}
