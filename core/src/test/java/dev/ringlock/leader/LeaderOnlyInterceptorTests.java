package dev.ringlock.leader;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.local.LocalLeaderElectionProvider;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code @LeaderOnly} through its advisor, on two members of the in-JVM election: the method runs on the
 * leader and is skipped on the follower with the empty result of each return kind; wrong declarations are
 * refused when the proxy is created; {@link LeaderContext} holds the leadership inside the method only.
 */
class LeaderOnlyInterceptorTests {

    private final LocalLeaderElectionProvider provider = new LocalLeaderElectionProvider();
    private final DefaultLeaderElection first = new DefaultLeaderElection("member-1", provider, null);
    private final DefaultLeaderElection second = new DefaultLeaderElection("member-2", provider, null);

    @AfterEach
    void leave() {
        first.close();
        second.close();
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(T target, LeaderElection election) {
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new LeaderOnlyAdvisor(new LeaderOnlyInterceptor(election)));
        return (T) factory.getProxy();
    }

    /** The leader's service (joined first, so it leads) and the follower's. */
    private Reports[] leaderAndFollower() {
        Reports leader = proxy(new Reports(), first);
        Reports follower = proxy(new Reports(), second);
        assertThat(leader.plain()).as("the first caller joins and leads").isEqualTo("ran");
        follower.plain();
        assertThat(first.join("reports").isLeader()).isTrue();
        assertThat(second.join("reports").isLeader()).isFalse();
        return new Reports[] {leader, follower};
    }

    @Test
    void runsOnTheLeaderWithEveryReturnKind() {
        Reports leader = leaderAndFollower()[0];
        assertThat(leader.plain()).isEqualTo("ran");
        leader.nothing();
        assertThat(leader.optional()).contains("ran");
        assertThat(leader.stage().toCompletableFuture().join()).isEqualTo("ran");
        assertThat(leader.mono().block()).isEqualTo("ran");
        assertThat(leader.flux().collectList().block()).containsExactly("a", "b");
        assertThat(leader.calls()).isEqualTo(7);
    }

    @Test
    void skippedOnAFollowerWithTheEmptyResultOfEachReturnKind() {
        Reports follower = leaderAndFollower()[1];
        int before = follower.calls();
        assertThat(follower.plain()).isNull();
        follower.nothing();
        assertThat(follower.optional()).isEmpty();
        CompletionStage<String> stage = follower.stage();
        assertThat(stage.toCompletableFuture()).isCompletedWithValue(null);
        assertThat(follower.mono().block()).isNull();
        assertThat(follower.flux().collectList().block()).isEmpty();
        assertThat(follower.calls()).as("no body ran").isEqualTo(before);
    }

    @Test
    void theFollowerRunsOnceTheLeaderYields() {
        Reports[] services = leaderAndFollower();
        first.join("reports").yieldLeadership();
        assertThat(services[1].plain()).isEqualTo("ran");
        assertThat(services[0].plain()).isNull();
    }

    @Test
    void reactiveResultsCheckLeadershipWhenSubscribed() {
        Reports[] services = leaderAndFollower();
        Mono<String> assembledOnTheLeader = services[0].mono();
        first.join("reports").yieldLeadership();
        assertThat(assembledOnTheLeader.block()).as("no longer the leader when subscribed").isNull();
        Flux<String> assembledOnTheFollower = services[1].flux();
        assertThat(assembledOnTheFollower.collectList().block()).containsExactly("a", "b");
    }

    @Test
    void leaderContextHoldsTheLeadershipInsideAndNothingOutside() {
        Reports leader = leaderAndFollower()[0];
        assertThat(LeaderContext.current()).isEmpty();
        Leadership inside = leader.current();
        assertThat(inside).isSameAs(first.join("reports"));
        assertThat(inside.term()).isPositive();
        assertThat(LeaderContext.current()).as("restored after the call").isEmpty();
    }

    @Test
    void nestedCallsInAnotherGroupRestoreTheOuterLeadership() {
        Reports leader = proxy(new Reports(), first);
        Reports self = leader;
        Leadership[] seen = leader.nested(self);
        assertThat(seen[0].group()).isEqualTo("reports");
        assertThat(seen[1].group()).isEqualTo("audit");
        assertThat(seen[2]).isSameAs(seen[0]);
    }

    @Test
    void aPrimitiveReturnTypeIsRefusedWhenTheProxyIsCreated() {
        assertThat(refusal(() -> proxy(new Counting(), first))).satisfies(ex -> {
                    assertThat(ex.method()).isEqualTo(Counting.class.getName() + ".count()");
                    assertThat(ex.getMessage()).contains("@LeaderOnly on " + Counting.class.getName() + ".count()")
                            .contains("int cannot be null");
                });
    }

    @Test
    void aBlankGroupIsRefusedWhenTheProxyIsCreated() {
        assertThat(refusal(() -> proxy(new Blank(), first))).satisfies(ex -> {
                    assertThat(ex.method()).isEqualTo(Blank.class.getName() + ".run()");
                    assertThat(ex.getMessage()).contains("'group' must not be blank");
                });
    }

    /** The declaration error that proxy creation failed with (Spring wraps it). */
    private static InvalidLeaderDeclarationException refusal(ThrowingCallable creation) {
        Throwable thrown = catchThrowable(creation);
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidLeaderDeclarationException refusal) {
                return refusal;
            }
        }
        throw new AssertionError("proxy creation should have failed with InvalidLeaderDeclarationException", thrown);
    }

    @Test
    void unannotatedMethodsRunAsUsual() {
        Reports follower = leaderAndFollower()[1];
        assertThat(follower.unguarded()).isEqualTo("ran");
    }

    static class Reports {

        private final AtomicInteger calls = new AtomicInteger();

        /** The number of bodies that ran; a method, since a class proxy's own fields are not the target's. */
        public int calls() {
            return calls.get();
        }

        @LeaderOnly(group = "reports")
        public String plain() {
            calls.incrementAndGet();
            return "ran";
        }

        @LeaderOnly(group = "reports")
        public void nothing() {
            calls.incrementAndGet();
        }

        @LeaderOnly(group = "reports")
        public Optional<String> optional() {
            calls.incrementAndGet();
            return Optional.of("ran");
        }

        @LeaderOnly(group = "reports")
        public CompletionStage<String> stage() {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        }

        @LeaderOnly(group = "reports")
        public Mono<String> mono() {
            return Mono.fromCallable(() -> {
                calls.incrementAndGet();
                return "ran";
            });
        }

        @LeaderOnly(group = "reports")
        public Flux<String> flux() {
            calls.incrementAndGet();
            return Flux.fromIterable(List.of("a", "b"));
        }

        @LeaderOnly(group = "reports")
        public Leadership current() {
            return LeaderContext.current().orElseThrow();
        }

        @LeaderOnly(group = "reports")
        public Leadership[] nested(Reports self) {
            Leadership outer = LeaderContext.current().orElseThrow();
            Leadership inner = self.audit();
            return new Leadership[] {outer, inner, LeaderContext.current().orElseThrow()};
        }

        @LeaderOnly(group = "audit")
        public Leadership audit() {
            return LeaderContext.current().orElseThrow();
        }

        public String unguarded() {
            return "ran";
        }
    }

    static class Counting {

        @LeaderOnly(group = "reports")
        public int count() {
            return 1;
        }
    }

    static class Blank {

        @LeaderOnly(group = " ")
        public void run() {
        }
    }
}
