package dev.ringlock.leader;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Runs the annotated method only while this instance leads {@link #group()}, that is while its candidacy's
 * {@link Leadership#isLeader()} is true when the call starts; elsewhere the call is skipped. A skipped call
 * returns {@code null}, an empty {@link java.util.Optional}, a {@link java.util.concurrent.CompletionStage}
 * completed with {@code null}, or an empty Reactor {@code Mono}/{@code Flux} (whose leadership is checked when
 * it is subscribed to). A method returning a primitive other than {@code void} is refused when its proxy is
 * created, since a skipped call could not return.
 * <p>
 * Inside the method, {@link LeaderContext#current()} gives the {@link Leadership}, so that its
 * {@link Leadership#term()} can be passed to the resource the method writes. The leadership may end while the
 * method runs; the term is what lets the resource refuse a stale leader.
 * <p>
 * The instance joins the group through its {@link LeaderElection} on the first call if it has not joined it
 * already; with Ringlock's auto-configuration, every group named by a {@code @LeaderOnly} method of a bean is
 * joined when the application context starts, and left when it stops.
 * <p>
 * <b>On a type</b>, the annotation makes a {@link org.springframework.context.SmartLifecycle} bean a role of the
 * group's leader: the context does not start it; it is started when this instance is granted leadership of
 * {@link #group()}, stopped when that leadership is revoked (a yield, a lost lease or session, the election
 * closed at shutdown), and started again on the next grant. Its {@code start()} and {@code stop()} run on one
 * thread of their own, never on a thread that renews the leadership, so a slow start cannot cost the term; a
 * {@code start()} that throws yields the leadership, so that another instance can take the role. A
 * {@code start()} from anyone else (an explicit {@code ApplicationContext.start()}) is ignored. A type-level
 * {@code @LeaderOnly} on a bean that is not a {@code SmartLifecycle} is refused at start-up
 * ({@link InvalidLeaderDeclarationException}). The type-level annotation does not make the bean's methods
 * leader-only; annotate them for that. See {@link LeaderOnlyBeanPostProcessor}.
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
// the interceptor reads the annotation by reflection
@Reflective
public @interface LeaderOnly {

    /** The election's group name; must not be blank. On a type: the group whose leader runs the bean. */
    String group();
}
