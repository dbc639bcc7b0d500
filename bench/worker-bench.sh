#!/usr/bin/env bash
# Runs the shared peers' neutral load scripts (../shared/peers/load) against the Labdesk worker,
# the same scripts that measured the seed Flask/FastAPI apps, so the figures sit side by side.
#   bench/worker-bench.sh [all|coldstart|upload|sse|ws ...]      (RUNS=3 by default)
# Prerequisites: ./mvnw -DskipTests package; apt: wrk hyperfine curl nodejs npm.
# Raw output goes to $OUT (default /tmp/labdesk-bench/<time>); summary.txt collects the medians.
#
# The load scripts are copied to a scratch folder and `npm ci` installs their `ws` dependency there.
# Two mechanical edits adapt them to our contract, and nothing else is touched:
#   - sse-latency.js subscribes to $LABDESK_STREAM_PATH instead of the seed's global /stream
#     (our streams are per session: /stream?session_id=…),
#   - its POST /log requests carry $LABDESK_LOG_AUTH (our /log wants the run's bearer token).
# The posted records are byte-for-byte the seed's HTTPHandler form posts.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
RUNS=${RUNS:-3}
PORT=${PORT:-8080}
OUT=${OUT:-/tmp/labdesk-bench/$(date +%Y%m%d-%H%M%S)}
DATA=${DATA:-/tmp/labdesk-bench/data}
JAR=$ROOT/worker/target/labdesk-worker.jar
mkdir -p "$OUT" "$DATA"

BENCH=worker-bench; . bench/lib.sh
JAVA=$(bench_java25) || exit 1
[ -f "$JAR" ] || { echo "worker-bench: $JAR missing: run ./mvnw -DskipTests package first" >&2; exit 1; }

L=$OUT/load
bench_load_scripts "$L" || exit 1
bench_adapt_sse_latency "$L/sse-latency.js" || exit 1

sections=("$@"); [ ${#sections[@]} -eq 0 ] && sections=(all)
want() { [[ " ${sections[*]} " == *" all "* || " ${sections[*]} " == *" $1 "* ]]; }
log() { echo "== $*" | tee -a "$OUT/summary.txt"; }

SERVER_PID=
start_worker() { # start_worker [JAVA_OPTS...] -- main and args are fixed
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/health"; then echo "port $PORT busy" >&2; exit 1; fi
  setsid env LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_PORT=$PORT LABDESK_DATA_DIR="$DATA" "$JAVA" "$@" > "$OUT/worker.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/health")" = 200 ] && return 0
    sleep 0.1
  done
  echo "worker did not become ready" >&2; stop_worker; exit 1
}
stop_worker() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
}
trap stop_worker EXIT

if want coldstart; then
  log "cold start: launch → GET /health 200, 10 runs"
  (cd "$OUT" && COLDSTART_OUT=$OUT/coldstart LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_PORT=$PORT LABDESK_DATA_DIR="$DATA" \
    "$L/coldstart.sh" "http://127.0.0.1:$PORT/health" 10 "$JAVA" -XX:TieredStopAtLevel=1 -jar "$JAR") 2>&1 | tail -n 1 | tee -a "$OUT/summary.txt"
fi

if want upload; then
  for disk in ext4 tmpfs; do
    if [ $disk = tmpfs ]; then up=/dev/shm/labdesk-bench; else up=$DATA; fi
    mkdir -p "$up"
    DATA_SAVED=$DATA; DATA=$up
    start_worker -Xmx512m -jar "$JAR"
    for mode in big many; do
      log "upload $mode ($disk), $RUNS runs"
      "$L/upload.sh" "http://127.0.0.1:$PORT" "$SERVER_PID" $mode "$RUNS" "$up/volumes" 2>&1 | tee "$OUT/upload-$mode-$disk.txt" | tail -n 1 | tee -a "$OUT/summary.txt"
    done
    stop_worker; DATA=$DATA_SAVED
    log "file-system floor ($disk): 2,000 × 64 KiB written directly"
    mkdir -p "$up/floor"; python3 "$L/fs-floor.py" "$up/floor" 2>&1 | tail -n 3 | tee -a "$OUT/summary.txt"; rm -rf "$up/floor"
    [ $disk = tmpfs ] && rm -rf "$up"
  done
fi

if want sse; then
  # BenchSession registers a session and a run token the way a launched agent gets one, on a real worker.
  CP="$JAR:$ROOT/worker/target/test-classes"
  setsid env LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_PORT=$PORT LABDESK_DATA_DIR="$DATA" "$JAVA" ${WORKER_JVM_OPTS:-} -cp "$CP" dev.labdesk.worker.bench.BenchWorker "$OUT/session.env" > "$OUT/worker.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do [ -s "$OUT/session.env" ] && break; sleep 0.1; done
  # shellcheck disable=SC1091
  . "$OUT/session.env"
  K=0
  next_session() { # a fresh session for each run: SESSION_ID, RUN_TOKEN, and the two variables the adapted script reads
    K=$((K + 1)); local s="SESSION_ID_$K" t="RUN_TOKEN_$K"
    SESSION_ID=${!s}; RUN_TOKEN=${!t}
    export LABDESK_STREAM_PATH="/stream?session_id=$SESSION_ID" LABDESK_LOG_AUTH="Bearer $RUN_TOKEN"
  }
  log "SSE: POST /log → /stream, 10,000 records paced at 200/s and 1,000/s"
  for rate in 200 1000; do
    for r in $(seq 1 "$RUNS"); do next_session; node "$L/sse-latency.js" --base "http://127.0.0.1:$PORT" --records 10000 --rate $rate --concurrency 4 --max-time 120; done | tee "$OUT/sse-rate$rate.txt" | tee -a "$OUT/summary.txt"
  done
  log "SSE: flood (max sustained delivery) with 1, 4, 16 form posters"
  for c in 1 4 16; do
    for r in $(seq 1 "$RUNS"); do next_session; node "$L/sse-latency.js" --base "http://127.0.0.1:$PORT" --records 10000 --rate 0 --concurrency $c --max-time 120; done | tee "$OUT/sse-flood$c.txt" | tee -a "$OUT/summary.txt"
  done
  log "SSE: batched JSON posts (the agent's own path), 200,000 records"
  for r in $(seq 1 "$RUNS"); do next_session; "$JAVA" -cp "$CP" dev.labdesk.worker.bench.BatchedLogBench "http://127.0.0.1:$PORT" "$SESSION_ID" "$RUN_TOKEN" 200000 500; done | tee -a "$OUT/summary.txt"
  stop_worker
fi
echo "raw output: $OUT"
