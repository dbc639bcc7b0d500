#!/usr/bin/env bash
# A long history listed: N finished sessions written into a data dir's database (SessionListBench seed),
# a worker started on it, then GET /sessions?limit=LIMIT timed REQUESTS times (p50/p99), each answer read
# whole by the client; the issue's target is < 50 ms for 1,000 sessions.
#   bench/session-list.sh              (N=1000 FILES=2 LIMIT=1000 REQUESTS=200; JAR and TEST_CLASSES: another build)
# FILES: files in each session's manifest (a dataset of many files makes a large manifest row).
# Run under the machine's protocol: flock -o -x /tmp/bench.lock bench/session-list.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-1000}
FILES=${FILES:-2}
LIMIT=${LIMIT:-1000}
REQUESTS=${REQUESTS:-200}
PORT=${PORT:-18452}
JAR=${JAR:-$ROOT/worker/target/labdesk-worker.jar}
TEST_CLASSES=${TEST_CLASSES:-$ROOT/worker/target/test-classes}
OUT=${OUT:-/tmp/labdesk-bench/session-list-$(date +%Y%m%d-%H%M%S)}
BENCH=session-list; . bench/lib.sh
JAVA=$(bench_java25) || exit 1
[ -f "$JAR" ] || { echo "session-list: $JAR missing: run ./mvnw -DskipTests package first" >&2; exit 1; }
mkdir -p "$OUT/data"
CP="$JAR:$TEST_CLASSES"

"$JAVA" -cp "$CP" dev.labdesk.worker.bench.SessionListBench seed "$OUT/data" "$N" "$FILES" > "$OUT/seed.log" 2>&1 \
  || { echo "session-list: seeding failed (see $OUT/seed.log)" >&2; exit 1; }
env LABDESK_AUTH=none LABDESK_PORT=$PORT LABDESK_DATA_DIR="$OUT/data" "$JAVA" -jar "$JAR" > "$OUT/worker.log" 2>&1 &
WORKER_PID=$!
trap 'kill -TERM $WORKER_PID 2>/dev/null; wait $WORKER_PID 2>/dev/null' EXIT
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/sessions?limit=1")" = 200 ] && break
  sleep 0.1
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" -cp "$CP" dev.labdesk.worker.bench.SessionListBench time "http://127.0.0.1:$PORT" "$LIMIT" "$REQUESTS" | tee "$OUT/result.json"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw output: $OUT"
