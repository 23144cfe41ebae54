package dev.ringlock.zookeeper;

import dev.ringlock.support.ContextBoundExecutor;

import java.util.concurrent.Executors;

/**
 * The thread on which the Curator client Ringlock builds runs its {@code runSafe} notifications (a
 * {@code CuratorCache}'s listener calls, such as ring membership changes), in order, as Curator's own would.
 * Curator 5.9 creates that executor itself and never shuts it down when the client is closed, which leaves one
 * idle thread behind per closed client; this one ends with the context, after the client (which depends on it).
 */
public final class CuratorNotifyExecutor extends ContextBoundExecutor {

    public CuratorNotifyExecutor() {
        super(Executors.newSingleThreadExecutor(daemonThreads("ringlock-curator-notify")));
    }
}
