#!/usr/bin/env bash
# What credentials cost: authenticated GET /sessions/{id} with wrk against the same jar with
# LABDESK_AUTH=none, interleaved run by run so both see the same machine.
#   bench/auth-overhead.sh [RUNS=3] [CONNS=64] [DURATION=10s]
# Needs worker/target/labdesk-worker.jar (./mvnw -DskipTests package) and wrk.
set -euo pipefail
BENCH=auth-overhead
cd "$(dirname "$0")/.."
source bench/lib.sh
JAVA=$(bench_java25)
RUNS=${1:-3}; CONNS=${2:-64}; DUR=${3:-10s}
JAR=worker/target/labdesk-worker.jar
OUT=$(mktemp -d /tmp/auth-overhead.XXXX)
KEY=bench-key-0123456789abcdef
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

# start NAME PORT ENV...: a worker on PORT, waited for
start() {
  local name=$1 port=$2; shift 2
  setsid env "$@" LABDESK_PORT="$port" LABDESK_DATA_DIR="$OUT/$name" "$JAVA" -Xmx512m -jar "$JAR" > "$OUT/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.1; done
  echo "$BENCH: $name did not start" >&2; return 1
}
# session PORT [HEADER]: uploads one small file, prints the session id
session() {
  printf 'x,y\n1,2\n' > "$OUT/a.csv"
  curl -sf ${2:+-H "$2"} -F name=bench -F description=bench -F "files=@$OUT/a.csv;filename=a.csv" "http://127.0.0.1:$1/upload" |
    sed 's/.*"session_id":"\([^"]*\)".*/\1/'
}
to_ms() { awk '{v=$1; if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else if (v ~ /s$/) printf "%.3f", v*1000; else print v}'; }

start keys 18101 LABDESK_API_KEYS="bench:$KEY"
start none 18102 LABDESK_AUTH=none
SK=$(session 18101 "Authorization: Bearer $KEY"); SN=$(session 18102)
# a warm-up pass each (not counted): both JITs compile the same path before anything is measured
wrk -t2 -c"$CONNS" -d5s -H "Authorization: Bearer $KEY" "http://127.0.0.1:18101/sessions/$SK" > /dev/null
wrk -t2 -c"$CONNS" -d5s "http://127.0.0.1:18102/sessions/$SN" > /dev/null
for run in $(seq 1 "$RUNS"); do
  order="keys none"; [ $((run % 2)) -eq 0 ] && order="none keys" # neither always goes first
  for mode in $order; do
    if [ "$mode" = keys ]; then url="http://127.0.0.1:18101/sessions/$SK"; hdr=(-H "Authorization: Bearer $KEY"); else url="http://127.0.0.1:18102/sessions/$SN"; hdr=(); fi
    wrk -t2 -c"$CONNS" -d"$DUR" --timeout 5s --latency "${hdr[@]}" "$url" > "$OUT/$mode-$run.txt"
    grep -q "Non-2xx" "$OUT/$mode-$run.txt" && { echo "$BENCH: non-2xx answers in $mode run $run" >&2; cat "$OUT/$mode-$run.txt" >&2; exit 1; }
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/$mode-$run.txt")
    p99=$(awk '$1=="99%" {print $2}' "$OUT/$mode-$run.txt" | to_ms)
    echo "run=$run mode=$mode req_per_s=$rps p99_ms=$p99" | tee -a "$OUT/summary"
  done
done
med() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
k=$(grep "mode=keys" "$OUT/summary" | sed 's/.*req_per_s=\([0-9.]*\).*/\1/' | med)
n=$(grep "mode=none" "$OUT/summary" | sed 's/.*req_per_s=\([0-9.]*\).*/\1/' | med)
echo "median req/s: keys=$k none=$n ratio=$(awk -v k="$k" -v n="$n" 'BEGIN {printf "%.3f", k/n}')  (raw: $OUT)"
