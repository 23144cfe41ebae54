package dev.ringlock.leader;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A candidacy as {@link DefaultLeaderElection} hands it out: the backend's, and forgotten by the election when
 * it is closed, so that the next join of the group starts a new one.
 */
final class JoinedLeadership implements Leadership {

    private final Leadership delegate;
    private final Consumer<JoinedLeadership> onClose;

    JoinedLeadership(Leadership delegate, Consumer<JoinedLeadership> onClose) {
        this.delegate = delegate;
        this.onClose = onClose;
    }

    @Override
    public String group() {
        return delegate.group();
    }

    @Override
    public String memberId() {
        return delegate.memberId();
    }

    @Override
    public boolean isLeader() {
        return delegate.isLeader();
    }

    @Override
    public long term() {
        return delegate.term();
    }

    @Override
    public Optional<String> leader() {
        return delegate.leader();
    }

    @Override
    public void yieldLeadership() {
        delegate.yieldLeadership();
    }

    @Override
    public void addListener(LeadershipListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void close() {
        // forgotten first: a join from now on starts a new candidacy rather than returning this closing one
        onClose.accept(this);
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
