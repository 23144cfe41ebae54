package dev.ringlock.leader;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * One role bean (a {@link SmartLifecycle} with a type-level {@link LeaderOnly}) and its group: started on each
 * grant of the group's candidacy, stopped on each revoke. The listener only hands the start or stop to the roles'
 * executor, since it is called on the thread that made the change, which may be the one renewing the
 * leadership; the executor runs them one at a time and in order, and each checks the state when it runs, so a
 * start whose term ended meanwhile does nothing.
 */
final class LeaderRole implements LeadershipListener {

    private static final Log logger = LogFactory.getLog(LeaderRole.class);

    private final String beanName;
    private final SmartLifecycle bean;
    private final String group;
    private volatile @Nullable Leadership leadership;
    private volatile @Nullable Executor executor;

    LeaderRole(String beanName, SmartLifecycle bean, String group) {
        this.beanName = beanName;
        this.bean = bean;
        this.group = group;
    }

    String beanName() {
        return beanName;
    }

    String group() {
        return group;
    }

    /** Follows {@code leadership} from now on, starting and stopping the bean on {@code executor}. */
    void attach(Leadership leadership, Executor executor) {
        this.leadership = leadership;
        this.executor = executor;
        leadership.addListener(this);
    }

    @Override
    public void granted(LeadershipGrantedEvent event) {
        submit(this::startIfLeading);
    }

    @Override
    public void revoked(LeadershipRevokedEvent event) {
        submit(this::stopIfRunning);
    }

    private void submit(Runnable action) {
        Executor executor = this.executor;
        if (executor == null) {
            return;
        }
        try {
            executor.execute(action);
        }
        catch (RejectedExecutionException ignore) {
            // the roles' executor is shut down only after every role was stopped at shutdown: nothing to run
        }
    }

    private void startIfLeading() {
        Leadership leadership = this.leadership;
        if (leadership == null || !leadership.isLeader() || bean.isRunning()) {
            return;
        }
        try {
            LeaderRoleInterceptor.startAsRole(bean);
            logger.info("Started '" + beanName + "', the role of the leader of group '" + group + "' (term "
                    + leadership.term() + ")");
        }
        catch (RuntimeException ex) {
            // a leader that cannot do the role's work must not keep it from the others
            logger.error("Could not start '" + beanName + "', the role of the leader of group '" + group
                    + "'; yielding the leadership", ex);
            leadership.yieldLeadership();
        }
    }

    private void stopIfRunning() {
        if (!bean.isRunning()) {
            return;
        }
        try {
            bean.stop();
            logger.info("Stopped '" + beanName + "', the role of the leader of group '" + group + "'");
        }
        catch (RuntimeException ex) {
            logger.error("Could not stop '" + beanName + "', the role of the leader of group '" + group + "'", ex);
        }
    }

    @Override
    public String toString() {
        return "LeaderRole[bean='" + beanName + "', group='" + group + "']";
    }
}
