#!/usr/bin/env bash
# The paced live-log tail, worker against the client's own floor, interleaved run by run:
#   bench/sse-tail.sh                 (RUNS=3 measured runs each, WARMUP=4 runs each before them)
# The peers' load/sse-latency.js (adapted as in bench/worker-bench.sh: the stream path and the run's
# bearer token, nothing else) posts RECORDS form records at RATE/s with 4 posters to
#   - bench/ideal-sse-server.js (Node, forwards each post to its subscribers at once: the floor), and
#   - a real worker (BenchWorker, a fresh session per run), subscribed on GET /sessions/{id}/events.
# Warm-up runs go first on both servers (the worker's JIT needs them; the peers' script decides the
# measured run itself). Every measured line is tagged with its server, the time and the load average.
# Knobs: RUNS WARMUP RATE RECORDS IDEAL_PORT WORKER_PORT WORKER_JVM_OPTS JAR (another build to compare) OUT
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

# DUMP=1 (diagnosis only, not for figures): a copy of the script also writes each record's send time
# (epoch ms) and latency to $OUT/latency-<server>-<n>.csv, to line slow records up with GC and other logs.
SCRIPT=$L/sse-latency.js
if [ -n "${DUMP:-}" ]; then
  SCRIPT=$L/sse-latency-dump.js
  sed -e 's#latencies.push(t - sentAt\[seq\]);#latencies.push(t - sentAt[seq]); dump.push(`${(epoch0 + sentAt[seq]).toFixed(3)},${(t - sentAt[seq]).toFixed(3)}`);#' \
      -e 's#^const latencies = \[\];#const latencies = [], dump = [], epoch0 = Date.now() - nowMs();#' \
      -e 's#^  process.exit(0);#  require("fs").writeFileSync(process.env.LATENCY_DUMP, dump.join("\\n") + "\\n"); process.exit(0);#' "$L/sse-latency.js" > "$SCRIPT"
  grep -q 'dump.push' "$SCRIPT" && grep -q LATENCY_DUMP "$SCRIPT" || { echo "sse-tail: could not make the dump copy" >&2; exit 1; }
fi
N=0

IDEAL_PID= WORKER_PID=
cleanup() {
  for p in $IDEAL_PID $WORKER_PID; do kill -TERM "$p" 2>/dev/null; done
  for p in $IDEAL_PID $WORKER_PID; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT

node "$ROOT/bench/ideal-sse-server.js" "$IDEAL_PORT" > "$OUT/ideal.log" 2>&1 &
IDEAL_PID=$!
CP="$JAR:$ROOT/worker/target/test-classes"
# shellcheck disable=SC2086
env LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_PORT=$WORKER_PORT LABDESK_DATA_DIR="$DATA" "$JAVA" ${WORKER_JVM_OPTS:-} -cp "$CP" dev.labdesk.worker.bench.BenchWorker "$OUT/session.env" > "$OUT/worker.log" 2>&1 &
WORKER_PID=$!
for _ in $(seq 1 300); do [ -s "$OUT/session.env" ] && break; sleep 0.1; done
[ -s "$OUT/session.env" ] || { echo "sse-tail: worker did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$OUT/session.env"

K=0
one() { # one ideal|worker: one run of sse-latency.js, its JSON line tagged
  local server=$1 base env=()
  if [ "$server" = ideal ]; then
    base=http://127.0.0.1:$IDEAL_PORT
  else
    K=$((K + 1)); local s="SESSION_ID_$K" t="RUN_TOKEN_$K"
    base=http://127.0.0.1:$WORKER_PORT
    env=(LABDESK_STREAM_PATH="/sessions/${!s}/events" LABDESK_LOG_AUTH="Bearer ${!t}")
  fi
  local start load line cpu0 cpu1
  start=$(date -u +%H:%M:%S); load=$(cut -d' ' -f1 /proc/loadavg)
  cpu0=$(awk '{print $14+$15}' /proc/$WORKER_PID/stat)
  N=$((N + 1))
  line=$(env "${env[@]}" LATENCY_DUMP="$OUT/latency-$server-$N.csv" node "$SCRIPT" --base "$base" --records "$RECORDS" --rate "$RATE" --concurrency 4 --max-time 120)
  cpu1=$(awk '{print $14+$15}' /proc/$WORKER_PID/stat)
  echo "{\"server\":\"$server\",\"start\":\"$start\",\"load1\":$load,\"worker_cpu_ticks\":$((cpu1 - cpu0)),\"run\":$line}"
}

for w in $(seq 1 "$WARMUP"); do one ideal >> "$OUT/warmup.jsonl"; one worker >> "$OUT/warmup.jsonl"; done
# PROFILE=event=cpu,interval=1ms (any async-profiler options): the worker is profiled over the measured runs only
JCMD=$(dirname "$JAVA")/jcmd
[ -n "${PROFILE:-}" ] && "$JCMD" "$WORKER_PID" JVMTI.agent_load "${ASYNC_PROFILER:-/tmp/prof/libasyncProfiler.so}" "\"start,$PROFILE\"" > /dev/null
for r in $(seq 1 "$RUNS"); do one ideal; one worker; done | tee "$OUT/runs.jsonl"
[ -n "${PROFILE:-}" ] && "$JCMD" "$WORKER_PID" JVMTI.agent_load "${ASYNC_PROFILER:-/tmp/prof/libasyncProfiler.so}" "\"stop,file=$OUT/profile.collapsed,collapsed\"" > /dev/null
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  for (const s of ["ideal", "worker"]) {
    const r = rows.filter((x) => x.server === s);
    const f = (k) => r.map((x) => x.run.latency[k]).join(" / ");
    console.log(`${s.padEnd(6)} p50 ${f("p50_ms")}  p99 ${f("p99_ms")}  max ${f("max_ms")}  lost ${r.map((x) => x.run.lost).join("/")} dup ${r.map((x) => x.run.duplicates).join("/")}  load ${r.map((x) => x.load1).join(" ")}`);
  }' "$OUT/runs.jsonl" | tee "$OUT/summary.txt"
echo "raw output: $OUT"
