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
 * already.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
// the interceptor reads the annotation by reflection
@Reflective
public @interface LeaderOnly {

    /** The election's group name; must not be blank. */
    String group();
}
