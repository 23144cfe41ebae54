#!/usr/bin/env bash
# Runs every JMH benchmark group against its own Redis, Redis Sentinel and ZooKeeper servers and writes
# benchmarks/RESULTS.md.
#
#   benchmarks/run.sh                      the full run: every group, in 3 rounds one after the other, then the
#                                          scale harness once
#   benchmarks/run.sh RingBenchmark -f 1 -wi 1 -i 2 -w 2s -r 2s
#                                          any JMH arguments instead: a subset, shorter iterations, 1 round
#   benchmarks/run.sh Leader [kills yields [contender...]]
#                                          only the leader failover harness (not JMH), 1 round
#   benchmarks/run.sh Scale                the scale harness alone ("how cost grows"): Ringlock and Redisson each
#                                          holding 1,000, 10,000 and 100,000 locks, one JVM (-Xmx2g) per run, about
#                                          5 min; no ZooKeeper, no JMH
#
# A full run also runs the leader failover harness in every round, after that round's JMH run, with LEADER_TRIALS
# kill and yield trials per contender (default "3 36": an odd kill count so that the p50 is a middle trial, and
# yields enough to tell ZooKeeper's contenders apart, which 12 a round were not; at a load average of 7-10,
# "3 20" took 4.5 min a round and "2 12" 3 min, most of it in the kill trials); JMH arguments leave it out.
# The defaults take about 60 minutes on 2 cores, more than the 40 the benchmarks issue allows: 1 s iterations fit in
# 38 minutes but let one stall of the machine skew a row (benchmarks/profile-notes.md).
# Environment: JMH_SETTINGS replaces the default run settings of a full run; ROUNDS the number of rounds (3 for a
# full run, 1 with JMH arguments or Leader); LEADER_TRIALS as above; RESULTS names the report to write (default
# benchmarks/RESULTS.md); RINGLOCK_REDIS_SERVER selects another redis-server binary; BASELINE_REF the commit whose
# mutex rows a full run measures in every round, each group right after the same rows of the current code (default:
# the code of the previous RESULTS.md; empty: none); SCALE_LOCKS the numbers of locks of the scale harness (default "1000 10000 100000"),
# SCALE_OBSERVE its seconds of holding per run (default 30: more than two renewal periods of both contenders),
# SCALE_HEAP its JVMs' -Xmx (default 2g), SCALE_SPREAD the seconds over which each of its runs takes its locks,
# evenly, as an application's come (default 0: in one burst).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STARTED=$(date +%s)
# the report names the command as it was typed, with the settings given in the environment
COMMAND="benchmarks/run.sh${*:+ $*}"
for SETTING in SCALE_SPREAD SCALE_HEAP SCALE_OBSERVE SCALE_LOCKS BASELINE_REF LEADER_TRIALS ROUNDS JMH_SETTINGS; do
    if [ -n "${!SETTING+set}" ]; then
        COMMAND="$SETTING=\"${!SETTING}\" $COMMAND"
    fi
done
DEFAULT_SETTINGS="-f 1 -wi 2 -w 1s -i 2 -r 2s"
JMH_SETTINGS="${JMH_SETTINGS:-$DEFAULT_SETTINGS}"
RESULTS="${RESULTS:-$ROOT/benchmarks/RESULTS.md}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"

echo ">> building the benchmarks jar"
./mvnw -q -pl benchmarks -am package -DskipTests

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ringlock-bench.XXXXXX")"
REDIS_PID=""
SENTINEL_PID=""
ZK_PID=""
cleanup() {
    # stop only the servers this script started
    [ -n "$ZK_PID" ] && kill "$ZK_PID" 2>/dev/null && wait "$ZK_PID" 2>/dev/null || true
    [ -n "$SENTINEL_PID" ] && kill "$SENTINEL_PID" 2>/dev/null && wait "$SENTINEL_PID" 2>/dev/null || true
    [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # check and its arguments; tries every 0.2 s, 30 s in all (TRIES=n for another number of tries)
    for _ in $(seq 1 "${TRIES:-150}"); do
        if "$@"; then return 0; fi
        sleep 0.2
    done
    return 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
has_line() { [ -s "$1" ]; }

echo ">> starting Redis (test-support's redis-server process)"
java -cp "$JAR" dev.ringlock.bench.BenchServerMain redis > "$WORK/redis.port" 2> "$WORK/redis.log" &
REDIS_PID=$!
wait_for has_line "$WORK/redis.port" || { echo "Redis did not start:"; cat "$WORK/redis.log"; exit 1; }
REDIS_PORT=$(head -1 "$WORK/redis.port")
export RINGLOCK_BENCH_REDIS="127.0.0.1:$REDIS_PORT"
export RINGLOCK_BENCH_REDIS_VERSION="$(java -cp "$JAR" dev.ringlock.bench.BenchServerMain redis-version)"

echo ">> starting Redis Sentinel (test-support's master, 1 replica and 3 Sentinels, for replica acknowledgement)"
# the helper prints its line once the Sentinels know the replica and the replica is in sync
java -cp "$JAR" dev.ringlock.bench.BenchServerMain redis-sentinel > "$WORK/sentinel.line" 2> "$WORK/sentinel.log" &
SENTINEL_PID=$!
# up to 60 s: the helper itself waits up to 30 s for the set-up, after its JVM and five servers started
TRIES=300 wait_for has_line "$WORK/sentinel.line" || { echo "Redis Sentinel did not start:"; cat "$WORK/sentinel.log"; exit 1; }
read -r SENTINEL_MASTER SENTINELS < "$WORK/sentinel.line"
export RINGLOCK_BENCH_SENTINEL_MASTER="$SENTINEL_MASTER"
export RINGLOCK_BENCH_SENTINELS="$SENTINELS"

# "Scale" alone runs the scale harness only, which needs no ZooKeeper
SCALE_ONLY=false
if [ "$#" -eq 1 ] && [ "$1" = "Scale" ]; then
    SCALE_ONLY=true
fi

if ! $SCALE_ONLY; then
    echo ">> starting ZooKeeper (standalone server process)"
    ZK_PORT=$(java -cp "$JAR" dev.ringlock.bench.BenchServerMain free-port)
    mkdir -p "$WORK/zookeeper"
    # tickTime 500 ms (the default is 2,000): the server expires sessions only on its tick, so with 2,000 ms every
    # leader kill trial ended on a 2 s grid (the grants of ours and of LeaderLatch alike came 0-7 ms after a tick),
    # and a few trials could not tell the contenders apart. It also sets the shortest session (2 ticks): the
    # leader rows' 3,000 ms request is granted as asked.
    cat > "$WORK/zoo.cfg" <<CFG
tickTime=500
dataDir=$WORK/zookeeper
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
CFG
    java -Xmx1g -Dzookeeper.jmx.log4j.disable=true -cp "$JAR" org.apache.zookeeper.server.quorum.QuorumPeerMain \
        "$WORK/zoo.cfg" > "$WORK/zookeeper.log" 2>&1 &
    ZK_PID=$!
    wait_for port_open "$ZK_PORT" || { echo "ZooKeeper did not start:"; cat "$WORK/zookeeper.log"; exit 1; }
    export RINGLOCK_BENCH_ZOOKEEPER="127.0.0.1:$ZK_PORT"
    echo ">> warming ZooKeeper up (its JVM starts cold; the first contender would pay for it)"
    java -cp "$JAR" dev.ringlock.bench.BenchServerMain zookeeper-warm-up
fi
# JMH's JSON and the hand-over files stay after the run, so the report can be written again from them
export RINGLOCK_BENCH_OUT="$ROOT/benchmarks/target/bench-out"
rm -rf "$RINGLOCK_BENCH_OUT"
mkdir -p "$RINGLOCK_BENCH_OUT"

LEADER_ARGS=()
FULL_RUN=false
SCALE_LOCKS="${SCALE_LOCKS:-1000 10000 100000}"
SCALE_OBSERVE="${SCALE_OBSERVE:-30}"
SCALE_HEAP="${SCALE_HEAP:-2g}"
SCALE_SPREAD="${SCALE_SPREAD:-0}"
SCALE_SETTINGS="scale harness: \`RenewalScaleBenchmark\` for $SCALE_LOCKS locks, taken over ${SCALE_SPREAD} s, ${SCALE_OBSERVE} s of holding each, -Xmx$SCALE_HEAP"
if $SCALE_ONLY; then
    JMH_ARGS=()
    ROUNDS=0
    SETTINGS="$SCALE_SETTINGS only"
elif [ "${1:-}" = "Leader" ]; then
    # the leader harness alone: its own arguments, or the full run's trial counts
    JMH_ARGS=()
    shift
    if [ "$#" -gt 0 ]; then
        LEADER_ARGS=("$@")
    else
        # shellcheck disable=SC2206
        LEADER_ARGS=(${LEADER_TRIALS:-3 36})
    fi
    ROUNDS="${ROUNDS:-1}"
    SETTINGS="leader failover harness only, \`LeaderFailoverBenchmark ${LEADER_ARGS[*]}\` (kill trials, yield trials, contenders)"
elif [ "$#" -gt 0 ]; then
    JMH_ARGS=("$@")
    ROUNDS="${ROUNDS:-1}"
    SETTINGS="JMH arguments \`$*\`"
else
    # shellcheck disable=SC2206
    JMH_ARGS=($JMH_SETTINGS)
    # shellcheck disable=SC2206
    LEADER_ARGS=(${LEADER_TRIALS:-3 36})
    FULL_RUN=true
    ROUNDS="${ROUNDS:-3}"
    SETTINGS="JMH \`$JMH_SETTINGS\` (forks, warm-up iterations × time, measurement iterations × time) for every benchmark; leader failover harness \`LeaderFailoverBenchmark ${LEADER_ARGS[*]}\` (kill trials, yield trials per contender); $SCALE_SETTINGS"
fi
# A full run also measures Ringlock's mutex rows on the code of BASELINE_REF, built from this clone's history, so
# that the report can say whether the newer lock kinds and acknowledgement slowed the plain lock (BaselineSection).
BASELINE_REF="${BASELINE_REF-327b85c}"
BASELINE_JAR=""
if [ "$FULL_RUN" = true ] && [ -n "$BASELINE_REF" ]; then
    if git -C "$ROOT" rev-parse -q --verify "$BASELINE_REF^{commit}" >/dev/null; then
        echo ">> building the baseline benchmarks jar from $BASELINE_REF"
        mkdir -p "$WORK/baseline"
        git -C "$ROOT" archive "$BASELINE_REF" | tar -x -C "$WORK/baseline"
        (cd "$WORK/baseline" && ./mvnw -q -pl benchmarks -am package -DskipTests)
        BASELINE_JAR="$WORK/baseline/benchmarks/target/benchmarks.jar"
    else
        echo ">> $BASELINE_REF is not in this clone's history: no baseline rows"
    fi
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
# Rounds one after the other, each running every group once: the contenders of a row alternate through the run,
# so a stretch of noise on this machine lands on all of them instead of on one; the report gives the median.
for ROUND in $(seq 1 "$ROUNDS"); do
    ROUND_OUT="$RINGLOCK_BENCH_OUT/round-$ROUND"
    mkdir -p "$ROUND_OUT"
    if [ "${#JMH_ARGS[@]}" -gt 0 ]; then
        echo ">> round $ROUND of $ROUNDS: JMH ${JMH_ARGS[*]} (Redis $RINGLOCK_BENCH_REDIS, Sentinels $RINGLOCK_BENCH_SENTINELS, ZooKeeper $RINGLOCK_BENCH_ZOOKEEPER)"
        RINGLOCK_BENCH_OUT="$ROUND_OUT" java -jar "$JAR" "${JMH_ARGS[@]}" -rf json -rff "$ROUND_OUT/results.json" \
            | tee "$ROUND_OUT/jmh.log"
    fi
    if [ -n "$BASELINE_JAR" ]; then
        mkdir -p "$ROUND_OUT/baseline"
        echo "$BASELINE_REF" > "$ROUND_OUT/baseline/ref.txt"
        mkdir -p "$ROUND_OUT/baseline-now"
        echo ">> round $ROUND of $ROUNDS: the mutex rows of $BASELINE_REF, each group right after the same rows of this code"
        # this code's rows again, right before the old code's: the pair shares the machine's state of the moment, where
        # the rows of the JMH run above ran minutes earlier
        for GROUP in "RedisLockBenchmark ringlock redis" "ZooKeeperLockBenchmark ringlock-zk zookeeper"; do
            read -r BENCH IMPL NAME <<<"$GROUP"
            RINGLOCK_BENCH_OUT="$ROUND_OUT/baseline-now" java -jar "$JAR" \
                "$BENCH\.(uncontended1|uncontended8|contendedOneKey|contendedEightKeys)\$" -p "impl=$IMPL" "${JMH_ARGS[@]}" \
                -rf json -rff "$ROUND_OUT/baseline-now/$NAME.json" >> "$ROUND_OUT/baseline-now/jmh.log"
            RINGLOCK_BENCH_OUT="$ROUND_OUT/baseline" java -jar "$BASELINE_JAR" "$BENCH" -p "impl=$IMPL" "${JMH_ARGS[@]}" \
                -rf json -rff "$ROUND_OUT/baseline/$NAME.json" >> "$ROUND_OUT/baseline/jmh.log"
        done
    fi
    # inside the round loop, so that the leader rows of the rounds interleave with the JMH groups too
    if [ "${#LEADER_ARGS[@]}" -gt 0 ]; then
        echo ">> round $ROUND of $ROUNDS: leader failover harness ${LEADER_ARGS[*]}"
        LEADER_STARTED=$(date +%s)
        RINGLOCK_BENCH_OUT="$ROUND_OUT" java -cp "$JAR" dev.ringlock.bench.leader.LeaderFailoverBenchmark \
            "${LEADER_ARGS[@]}" | tee "$ROUND_OUT/leader.log"
        echo ">> leader failover harness: $(( $(date +%s) - LEADER_STARTED )) s"
    fi
done

# The scale harness runs once per run, not per round: each (contender, locks) in a JVM of its own, so that one's
# heap and threads never count against another; it flushes the Redis server before each. A contender that loses a
# lock fails its run loudly; the others still run, the report says "no data" for it, and the script fails at the end.
SCALE_FAILED=""
if $SCALE_ONLY || $FULL_RUN; then
    mkdir -p "$RINGLOCK_BENCH_OUT/scale"
    for LOCKS in $SCALE_LOCKS; do
        for CONTENDER in ringlock redisson; do
            echo ">> scale: $CONTENDER holding $LOCKS locks for ${SCALE_OBSERVE} s"
            java "-Xmx$SCALE_HEAP" -cp "$JAR" dev.ringlock.bench.scale.RenewalScaleBenchmark "$CONTENDER" "$LOCKS" \
                "$SCALE_OBSERVE" "$SCALE_SPREAD" 2>&1 | tee "$RINGLOCK_BENCH_OUT/scale/$CONTENDER-$LOCKS.log" \
                || SCALE_FAILED="$SCALE_FAILED $CONTENDER-$LOCKS"
        done
    done
fi

# other work on the machine skews every number: the report says how busy it was
export RINGLOCK_BENCH_LOAD="before the benchmarks $LOAD_BEFORE, after them $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")"
echo ">> writing $RESULTS"
ELAPSED=$(( $(date +%s) - STARTED ))
java -cp "$JAR" dev.ringlock.bench.report.ResultsReport "$RINGLOCK_BENCH_OUT" "$RESULTS" "$COMMAND" "$SETTINGS" \
    "$ELAPSED" "$ROOT/benchmarks/profile-notes.md"
if [ -n "$SCALE_FAILED" ]; then
    echo "scale harness failed for:$SCALE_FAILED (see benchmarks/target/bench-out/scale/*.log)" >&2
    exit 1
fi
