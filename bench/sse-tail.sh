#!/usr/bin/env bash
# The paced live-log tail, worker against the client's own floor, interleaved run by run:
#   bench/sse-tail.sh                 (RUNS=3 measured runs each, WARMUP=4 runs each before them)
# The peers' load/sse-latency.js (adapted as in bench/worker-bench.sh: the stream path and the run's
# bearer token, nothing else) posts RECORDS form records at RATE/s with 4 posters to
#   - bench/ideal-sse-server.js (Node, forwards each post to its subscribers at once: the floor), and
#   - a real worker (BenchWorker, a fresh session per run), subscribed on GET /sessions/{id}/events.
# Warm-up runs go first on both servers (the worker's JIT needs them; the peers' script decides the
# measured run itself). Every measured line is tagged with its server, the time and the load average.
# BEFORE_JAR=path/to/other/labdesk-worker.jar adds that build as server "before" (its own data dir and port
#   WORKER_PORT+1, BEFORE_JVM_OPTS), run right after "worker" in every round: an A/B of two builds in one session.
# Knobs: RUNS WARMUP RATE RECORDS IDEAL_PORT WORKER_PORT WORKER_JVM_OPTS JAR (another build to measure) OUT
# PROFILE and DUMP (below).
# Run under the machine's protocol: flock -o -x /tmp/bench.lock bench/sse-tail.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-4}
RATE=${RATE:-1000}
RECORDS=${RECORDS:-10000}
IDEAL_PORT=${IDEAL_PORT:-18441}
WORKER_PORT=${WORKER_PORT:-18442}
OUT=${OUT:-/tmp/labdesk-bench/sse-tail-$(date +%Y%m%d-%H%M%S)}
DATA=$OUT/data
JAR=${JAR:-$ROOT/worker/target/labdesk-worker.jar}
mkdir -p "$OUT" "$DATA"

BENCH=sse-tail; . bench/lib.sh
JAVA=$(bench_java25) || exit 1
[ -f "$JAR" ] || { echo "sse-tail: $JAR missing: run ./mvnw -DskipTests package first" >&2; exit 1; }

L=$OUT/load
bench_load_scripts "$L" || exit 1
bench_adapt_sse_latency "$L/sse-latency.js" || exit 1

# DUMP=1 (diagnosis only, not for figures): a copy of the script also writes each record's number (its
# bench-…-seq=N token), send time (epoch ms) and latency to $OUT/latency-<server>-<n>.csv, to line slow
# records up with GC and other logs, or with a worker-side trace of the same record.
SCRIPT=$L/sse-latency.js
if [ -n "${DUMP:-}" ]; then
  SCRIPT=$L/sse-latency-dump.js
  sed -e 's#latencies.push(t - sentAt\[seq\]);#latencies.push(t - sentAt[seq]); dump.push(`${seq},${(epoch0 + sentAt[seq]).toFixed(3)},${(t - sentAt[seq]).toFixed(3)}`);#' \
      -e 's#^const latencies = \[\];#const latencies = [], dump = [], epoch0 = Date.now() - nowMs();#' \
      -e 's#^  process.exit(0);#  require("fs").writeFileSync(process.env.LATENCY_DUMP, dump.join("\\n") + "\\n"); process.exit(0);#' "$L/sse-latency.js" > "$SCRIPT"
  grep -q 'dump.push' "$SCRIPT" && grep -q LATENCY_DUMP "$SCRIPT" || { echo "sse-tail: could not make the dump copy" >&2; exit 1; }
fi
N=0

IDEAL_PID= WORKER_PID= BEFORE_PID=
BEFORE_JAR=${BEFORE_JAR:-}
cleanup() {
  for p in $IDEAL_PID $WORKER_PID $BEFORE_PID; do kill -TERM "$p" 2>/dev/null; done
  for p in $IDEAL_PID $WORKER_PID $BEFORE_PID; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT

node "$ROOT/bench/ideal-sse-server.js" "$IDEAL_PORT" > "$OUT/ideal.log" 2>&1 &
IDEAL_PID=$!
start_worker() { # start_worker JAR PORT DIR JVM_OPTS: a BenchWorker whose sessions go to DIR/session.env
  mkdir -p "$3/data"
  # shellcheck disable=SC2086
  env LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_PORT=$2 LABDESK_DATA_DIR="$3/data" "$JAVA" $4 -cp "$1:$ROOT/worker/target/test-classes" dev.labdesk.worker.bench.BenchWorker "$3/session.env" > "$3/worker.log" 2>&1 &
}
start_worker "$JAR" "$WORKER_PORT" "$OUT" "${WORKER_JVM_OPTS:-}"
WORKER_PID=$!
if [ -n "$BEFORE_JAR" ]; then
  start_worker "$BEFORE_JAR" $((WORKER_PORT + 1)) "$OUT/before" "${BEFORE_JVM_OPTS:-}"
  BEFORE_PID=$!
fi
for _ in $(seq 1 300); do [ -s "$OUT/session.env" ] && { [ -z "$BEFORE_JAR" ] || [ -s "$OUT/before/session.env" ]; } && break; sleep 0.1; done
[ -s "$OUT/session.env" ] || { echo "sse-tail: worker did not start" >&2; exit 1; }
[ -z "$BEFORE_JAR" ] || [ -s "$OUT/before/session.env" ] || { echo "sse-tail: the before worker did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$OUT/session.env"
if [ -n "$BEFORE_JAR" ]; then
  # shellcheck disable=SC1091
  eval "$(sed 's/^/BEFORE_/' "$OUT/before/session.env")"
fi

K=0 KB=0
one() { # one ideal|worker|before: one run of sse-latency.js, its JSON line tagged
  local server=$1 base env=() pid=$WORKER_PID
  if [ "$server" = ideal ]; then
    base=http://127.0.0.1:$IDEAL_PORT
  elif [ "$server" = before ]; then
    KB=$((KB + 1)); local s="BEFORE_SESSION_ID_$KB" t="BEFORE_RUN_TOKEN_$KB"
    base=http://127.0.0.1:$((WORKER_PORT + 1)); pid=$BEFORE_PID
    env=(LABDESK_STREAM_PATH="/sessions/${!s}/events" LABDESK_LOG_AUTH="Bearer ${!t}")
  else
    K=$((K + 1)); local s="SESSION_ID_$K" t="RUN_TOKEN_$K"
    base=http://127.0.0.1:$WORKER_PORT
    env=(LABDESK_STREAM_PATH="/sessions/${!s}/events" LABDESK_LOG_AUTH="Bearer ${!t}")
  fi
  local start load line cpu0 cpu1
  start=$(date -u +%H:%M:%S); load=$(cut -d' ' -f1 /proc/loadavg)
  cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  N=$((N + 1))
  line=$(env "${env[@]}" LATENCY_DUMP="$OUT/latency-$server-$N.csv" node "$SCRIPT" --base "$base" --records "$RECORDS" --rate "$RATE" --concurrency 4 --max-time 120)
  cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "{\"server\":\"$server\",\"start\":\"$start\",\"load1\":$load,\"worker_cpu_ticks\":$((cpu1 - cpu0)),\"run\":$line}"
}

round() { one ideal; one worker; [ -z "$BEFORE_JAR" ] || one before; }
for w in $(seq 1 "$WARMUP"); do round >> "$OUT/warmup.jsonl"; done
# PROFILE=event=cpu,interval=1ms (any async-profiler options): the worker is profiled over the measured runs only
JCMD=$(dirname "$JAVA")/jcmd
[ -n "${PROFILE:-}" ] && "$JCMD" "$WORKER_PID" JVMTI.agent_load "${ASYNC_PROFILER:-/tmp/prof/libasyncProfiler.so}" "\"start,$PROFILE\"" > /dev/null
for r in $(seq 1 "$RUNS"); do round; done | tee "$OUT/runs.jsonl"
[ -n "${PROFILE:-}" ] && "$JCMD" "$WORKER_PID" JVMTI.agent_load "${ASYNC_PROFILER:-/tmp/prof/libasyncProfiler.so}" "\"stop,file=$OUT/profile.collapsed,collapsed\"" > /dev/null
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  for (const s of ["ideal", "worker", "before"]) {
    const r = rows.filter((x) => x.server === s);
    if (!r.length) continue;
    const f = (k) => r.map((x) => x.run.latency[k]).join(" / ");
    console.log(`${s.padEnd(6)} p50 ${f("p50_ms")}  p99 ${f("p99_ms")}  max ${f("max_ms")}  lost ${r.map((x) => x.run.lost).join("/")} dup ${r.map((x) => x.run.duplicates).join("/")}  load ${r.map((x) => x.load1).join(" ")}`);
  }
  // two builds in the same rounds: each round is a pair, so compare them pair by pair (the machine drifts between rounds)
  const p99 = (s) => rows.filter((x) => x.server === s).map((x) => x.run.latency.p99_ms);
  const [w, b] = [p99("worker"), p99("before")];
  if (b.length && b.length === w.length) {
    const median = (v) => { const s = [...v].sort((x, y) => x - y), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
    const d = w.map((x, i) => x - b[i]), n = d.length, higher = d.filter((x) => x > 0).length, k = Math.min(higher, n - higher);
    let tail = 0, c = 1; // two-sided sign test: P(a count as far from n/2 as this one) under "no difference"
    for (let i = 0; i <= k; i++) { tail += c; c = (c * (n - i)) / (i + 1); }
    console.log(`paired p99 worker - before: median ${median(d).toFixed(3)} ms, worker higher in ${higher} of ${n} rounds (sign test p ${Math.min(1, (2 * tail) / 2 ** n).toFixed(2)}); under 2 ms: worker ${w.filter((x) => x < 2).length}, before ${b.filter((x) => x < 2).length}; median p99 worker ${median(w).toFixed(3)} before ${median(b).toFixed(3)} ms`);
  }' "$OUT/runs.jsonl" | tee "$OUT/summary.txt"
echo "raw output: $OUT"
