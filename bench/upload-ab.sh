#!/usr/bin/env bash
# One large file through POST /upload, two worker jars interleaved run by run (e.g. before and after
# a change), each with its own data dir on the same disk; prints MB/s per run and the medians.
#   bench/upload-ab.sh OLD_JAR NEW_JAR [FILE=/tmp/big.bin] [RUNS=3]
# Both run with LABDESK_AUTH=none (an older jar has no keys); the new one is also run with a key.
set -euo pipefail
BENCH=upload-ab
cd "$(dirname "$0")/.."
source bench/lib.sh
JAVA=$(bench_java25)
OLD=${1:?old jar}; NEW=${2:?new jar}; FILE=${3:-/tmp/big.bin}; RUNS=${4:-3}
OUT=$(mktemp -d /tmp/upload-ab.XXXX); KEY=bench-key-0123456789abcdef
pids=(); trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start() { # NAME PORT JAR ENV...
  local name=$1 port=$2 jar=$3; shift 3
  setsid env "$@" LABDESK_PORT="$port" LABDESK_DATA_DIR="$OUT/$name" "$JAVA" -Xmx512m -jar "$jar" > "$OUT/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.1; done
  echo "$BENCH: $name did not start" >&2; return 1
}
start old 18401 "$OLD" LABDESK_AUTH=none
start new 18402 "$NEW" LABDESK_AUTH=none
start keys 18403 "$NEW" LABDESK_API_KEYS="bench:$KEY"
bytes=$(stat -c %s "$FILE")
for run in $(seq 1 "$RUNS"); do
  for mode in old new keys; do
    case $mode in old) port=18401; h=();; new) port=18402; h=();; keys) port=18403; h=(-H "Authorization: Bearer $KEY");; esac
    t=$(curl -sf "${h[@]}" -o /dev/null -w '%{time_total}' -F name=ab -F description=ab -F "files=@$FILE;filename=big.bin" "http://127.0.0.1:$port/upload")
    echo "run=$run mode=$mode MB_per_s=$(awk -v b="$bytes" -v t="$t" 'BEGIN {printf "%.1f", b/t/1e6}')" | tee -a "$OUT/summary"
    rm -rf "$OUT/$mode/volumes/dataset-volume-"* # the next run finds the same empty disk
  done
done
for mode in old new keys; do
  echo "median $mode: $(grep "mode=$mode " "$OUT/summary" | sed 's/.*=//' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') MB/s"
done
