#!/usr/bin/env bash
# The durable store's two live-log targets, two builds interleaved run by run on one machine:
#   bench/durable-ab.sh A_CLASSPATH B_CLASSPATH        (RUNS=3 rounds; each round runs A and B, order alternating)
# A classpath is a worker jar and the test classes beside it (BenchWorker, BatchedLogBench), e.g.
#   /tmp/old/labdesk-worker.jar:/tmp/old/test-classes   and   worker/target/labdesk-worker.jar:worker/target/test-classes
# Each run starts a fresh BenchWorker on an empty data dir (the SQLite store, WAL), warms it up, then measures
#   - the paced tail: the peers' load/sse-latency.js, RECORDS form posts at RATE/s by 4 posters → one SSE reader (p50/p99)
#   - batched JSON posts, the agent's path: BatchedLogBench, BATCHED records in posts of 500, one poster (records/s, p99)
# and prints one JSON line per run, then the medians of each build. Each round also runs the batched client
# against bench/ideal-batched-server.js (no storage: the client's and the machine's own ceiling, "floor").
# Knobs: RUNS RATE RECORDS BATCHED PORT IDEAL_PORT OUT
# Run under the machine's protocol: flock -o -x /tmp/bench.lock bench/durable-ab.sh A B
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
RUNS=${RUNS:-3}
RATE=${RATE:-1000}
RECORDS=${RECORDS:-10000}
BATCHED=${BATCHED:-200000}
PORT=${PORT:-18451}
IDEAL_PORT=${IDEAL_PORT:-18452}
OUT=${OUT:-/tmp/labdesk-bench/durable-ab-$(date +%Y%m%d-%H%M%S)}
[ $# -eq 2 ] || { echo "usage: bench/durable-ab.sh A_CLASSPATH B_CLASSPATH" >&2; exit 2; }
CPS=("$1" "$2")
NAMES=(A B)
mkdir -p "$OUT"

BENCH=durable-ab; . bench/lib.sh
JAVA=$(bench_java25) || exit 1
L=$OUT/load
bench_load_scripts "$L" || exit 1
bench_adapt_sse_latency "$L/sse-latency.js" || exit 1

node "$ROOT/bench/ideal-batched-server.js" "$IDEAL_PORT" > "$OUT/ideal.log" 2>&1 &
IDEAL_PID=$!
WORKER_PID=
stop_worker() {
  [ -n "$WORKER_PID" ] || return 0
  kill -TERM "$WORKER_PID" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$WORKER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$WORKER_PID" 2>/dev/null; wait "$WORKER_PID" 2>/dev/null; WORKER_PID=
}
trap 'stop_worker; kill -TERM "$IDEAL_PID" 2>/dev/null' EXIT

floor() { # the batched client against the ideal server, with the same warm-up as a build
  local cp=${CPS[0]} load batched
  for _ in 1 2 3; do "$JAVA" -cp "$cp" dev.labdesk.worker.bench.BatchedLogBench "http://127.0.0.1:$IDEAL_PORT" s t 50000 500 > /dev/null; done
  load=$(cut -d' ' -f1 /proc/loadavg)
  batched=$("$JAVA" -cp "$cp" dev.labdesk.worker.bench.BatchedLogBench "http://127.0.0.1:$IDEAL_PORT" s t "$BATCHED" 500)
  echo "{\"build\":\"floor\",\"round\":$1,\"load1\":$load,\"batched\":$batched}"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$WORKER_PID/stat"; }

one() { # one INDEX ROUND: a fresh worker of build INDEX, warmed up, then measured
  local i=$1 round=$2 dir=$OUT/${NAMES[$1]}-$2 env k=0 base=http://127.0.0.1:$PORT
  mkdir -p "$dir/data"
  env LABDESK_AUTH=none LABDESK_PORT=$PORT LABDESK_DATA_DIR="$dir/data" "$JAVA" -cp "${CPS[$i]}" \
    dev.labdesk.worker.bench.BenchWorker "$dir/session.env" > "$dir/worker.log" 2>&1 &
  WORKER_PID=$!
  for _ in $(seq 1 300); do [ -s "$dir/session.env" ] && break; sleep 0.1; done
  [ -s "$dir/session.env" ] || { echo "durable-ab: worker ${NAMES[$i]} did not start" >&2; stop_worker; return 1; }
  # shellcheck disable=SC1090
  . "$dir/session.env"
  next() { k=$((k + 1)); local s="SESSION_ID_$k" t="RUN_TOKEN_$k"; SID=${!s}; TOKEN=${!t}; }
  tail_run() { next; LABDESK_STREAM_PATH="/sessions/$SID/events" LABDESK_LOG_AUTH="Bearer $TOKEN" \
    node "$L/sse-latency.js" --base "$base" --records "$1" --rate "$RATE" --concurrency 4 --max-time 120; }
  batched_run() { next; "$JAVA" -cp "${CPS[$i]}" dev.labdesk.worker.bench.BatchedLogBench "$base" "$SID" "$TOKEN" "$1" 500; }
  for _ in 1 2 3; do tail_run 3000 > /dev/null; batched_run 50000 > /dev/null; done # the JIT's warm-up
  local load tail batched c0 c1 c2
  load=$(cut -d' ' -f1 /proc/loadavg)
  c0=$(cpu_ticks); tail=$(tail_run "$RECORDS")
  c1=$(cpu_ticks); batched=$(batched_run "$BATCHED")
  c2=$(cpu_ticks)
  # the worker's CPU time (clock ticks, utime + stime) per phase: less sensitive to a busy machine than latency
  echo "{\"build\":\"${NAMES[$i]}\",\"round\":$round,\"load1\":$load,\"tail_cpu_ticks\":$((c1 - c0)),\"batched_cpu_ticks\":$((c2 - c1)),\"tail\":$tail,\"batched\":$batched}"
  stop_worker
}

for r in $(seq 1 "$RUNS"); do
  if [ $((r % 2)) -eq 1 ]; then order=(0 1); else order=(1 0); fi
  for i in "${order[@]}"; do one "$i" "$r"; done
  floor "$r"
done | tee "$OUT/runs.jsonl"
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : NaN; };
  const f = rows.filter((x) => x.build === "floor").map((x) => x.batched.delivered_per_s);
  console.log(`floor (ideal server): batched records/s ${f.join(" / ")} (median ${med(f)})`);
  for (const b of ["A", "B"]) {
    const r = rows.filter((x) => x.build === b);
    const col = (f) => r.map(f);
    const show = (name, f) => `${name} ${col(f).join(" / ")} (median ${med(col(f))})`;
    console.log(`${b}: ${show("tail p99 ms", (x) => x.tail.latency.p99_ms)}; ${show("p50", (x) => x.tail.latency.p50_ms)}; `
      + `lost ${col((x) => x.tail.lost).join("/")} dup ${col((x) => x.tail.duplicates).join("/")}; `
      + `${show("batched records/s", (x) => x.batched.delivered_per_s)}; ${show("batched p99 ms", (x) => x.batched.latency.p99_ms)}; `
      + `batched lost ${col((x) => x.batched.lost).join("/")}; `
      + `${show("worker CPU ticks, tail", (x) => x.tail_cpu_ticks)}; ${show("batched", (x) => x.batched_cpu_ticks)}; load ${col((x) => x.load1).join(" ")}`);
  }' "$OUT/runs.jsonl" | tee "$OUT/summary.txt"
echo "raw output: $OUT"
