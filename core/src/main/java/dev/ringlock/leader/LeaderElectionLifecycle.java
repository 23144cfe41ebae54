package dev.ringlock.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Joins the application's groups when the context starts and leaves them when it stops, and runs the roles.
 * <ul>
 * <li>{@link #start()} joins every configured group ({@code ringlock.leader.groups}), every group named by a
 * {@link LeaderOnly} method of a bean, and every role's group, as {@link LeaderOnlyBeanPostProcessor} found them.
 * Its phase is {@link SmartLifecycle#DEFAULT_PHASE}: it starts after the lifecycle beans of lower phases (the web
 * server among them), so that an instance leads only once it can serve.</li>
 * <li>Each role (a {@code SmartLifecycle} bean with a type-level {@code @LeaderOnly}) is started on each grant of
 * its group and stopped on each revoke, on one thread of its own, {@code ringlock-leader-roles}, created only when
 * there are roles: the thread that tells of a grant or revoke may be the one renewing every leadership, and a slow
 * start must not hold it up.</li>
 * <li>{@link #stop()} closes every candidacy it joined and, for a {@link DefaultLeaderElection}, the election
 * itself (the groups joined later by leader-only calls too), so that each leader hands over at once; then it waits
 * for the roles to stop. Stopping in the last phase to start, it runs before the backend's client (a lower phase,
 * or a bean destroyed later) goes away; and since it registers itself as depending on each role, it stops before
 * the roles of its own phase, which the context would otherwise stop while they still lead.</li>
 * </ul>
 */
public final class LeaderElectionLifecycle implements SmartLifecycle, BeanNameAware, BeanFactoryAware {

    private static final Log logger = LogFactory.getLog(LeaderElectionLifecycle.class);

    /** The longest {@link #stop()} waits for the roles to stop. */
    static final Duration ROLE_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final LeaderElection election;
    private final List<String> groups;
    private final LeaderOnlyBeanPostProcessor declarations;
    private final Map<String, Leadership> joined = new LinkedHashMap<>();
    private @Nullable ExecutorService roleThread;
    private @Nullable String beanName;
    private @Nullable ConfigurableBeanFactory beanFactory;
    private volatile boolean running;

    /**
     * @param groups the groups to join whatever the beans declare ({@code ringlock.leader.groups})
     * @param declarations what the beans declare: the groups of their leader-only methods, and the roles
     */
    public LeaderElectionLifecycle(LeaderElection election, Collection<String> groups,
            LeaderOnlyBeanPostProcessor declarations) {
        this.election = Objects.requireNonNull(election, "election");
        this.groups = List.copyOf(groups);
        this.declarations = Objects.requireNonNull(declarations, "declarations");
    }

    @Override
    public void setBeanName(String name) {
        this.beanName = name;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableBeanFactory configurable) {
            this.beanFactory = configurable;
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        List<LeaderRole> roles = declarations.roles();
        Set<String> toJoin = new LinkedHashSet<>(groups);
        toJoin.addAll(declarations.groups());
        roles.forEach(role -> toJoin.add(role.group()));
        for (String group : toJoin) {
            joined.put(group, election.join(group));
        }
        if (roles.isEmpty()) {
            return;
        }
        ExecutorService roleThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ringlock-leader-roles");
            thread.setDaemon(true);
            return thread;
        });
        this.roleThread = roleThread;
        for (LeaderRole role : roles) {
            if (beanFactory != null && beanName != null) {
                beanFactory.registerDependentBean(role.beanName(), beanName);
            }
            role.attach(joined.get(role.group()), roleThread);
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        for (Leadership candidacy : new ArrayList<>(joined.values())) {
            leave(candidacy::close, "group '" + candidacy.group() + "'");
        }
        joined.clear();
        if (election instanceof DefaultLeaderElection elections) {
            leave(elections::close, "every group");
        }
        ExecutorService roleThread = this.roleThread;
        this.roleThread = null;
        if (roleThread != null) {
            // the revokes of the closes above queued the roles' stops: let them run, then end the thread
            roleThread.shutdown();
            try {
                if (!roleThread.awaitTermination(ROLE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    logger.warn("The @LeaderOnly roles did not stop within " + ROLE_STOP_TIMEOUT + "; shutting down");
                    roleThread.shutdownNow();
                }
            }
            catch (InterruptedException ex) {
                roleThread.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @param what the groups {@code close} leaves, for the log */
    private static void leave(Runnable close, String what) {
        try {
            close.run();
        }
        catch (RuntimeException ex) {
            // the server's key or node ends with its lease or session: the others take over then
            logger.warn("Could not leave the leader election of " + what + " cleanly: " + ex.getMessage(), ex);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    /** The groups joined at start-up, until {@link #stop()}. */
    public synchronized Set<String> joinedGroups() {
        return Set.copyOf(joined.keySet());
    }
}
