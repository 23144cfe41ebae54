package dev.ringlock.bench.leader;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;

/**
 * Curator's {@link LeaderLatch}. It has no yield: a leader gives up by closing its latch, and stays a candidate
 * by starting a new one (which queues at the back), so that is the clean yield here.
 */
final class CuratorLatchContender implements LeaderContender {

    private final CuratorFramework client = LeaderRows.curator();

    @Override
    public Candidate join(String group, Runnable granted) throws Exception {
        String path = "/bench-leader/latch/" + group;
        String id = LeaderRows.memberId();
        AtomicReference<LeaderLatch> latch = new AtomicReference<>(start(path, id, granted));
        return new Candidate() {
            @Override
            public boolean isLeader() {
                return latch.get().hasLeadership();
            }

            @Override
            public void yieldLeadership() throws Exception {
                latch.get().close();
                latch.set(start(path, id, granted));
            }

            @Override
            public void close() throws Exception {
                latch.get().close();
            }
        };
    }

    private LeaderLatch start(String path, String id, Runnable granted) throws Exception {
        LeaderLatch latch = new LeaderLatch(client, path, id);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                granted.run();
            }

            @Override
            public void notLeader() {
            }
        });
        latch.start();
        return latch;
    }

    @Override
    public Map<String, String> settings() {
        return LeaderRows.zooKeeperSettings(client, "LeaderLatch");
    }

    @Override
    public void close() {
        client.close();
    }
}
