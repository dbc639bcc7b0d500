#!/usr/bin/env bash
# One large file through the resumable API (plan, tus PATCH, complete), two worker jars interleaved run
# by run (e.g. before and after a change), each with its own data dir on the same disk; prints MB/s of
# the PATCHes per run and the medians. CHUNK=0 sends the file in one PATCH (tus-js-client's default),
# otherwise in CHUNK-byte PATCHes (the desktop app sends 8 MiB), each read from the file inside the timing, as a client
# reads its file while it sends.
#   bench/tus-ab.sh OLD_JAR NEW_JAR [FILE=/tmp/big.bin] [RUNS=3] [CHUNK=0]
set -euo pipefail
BENCH=tus-ab
cd "$(dirname "$0")/.."
source bench/lib.sh
JAVA=$(bench_java25)
OLD=${1:?old jar}; NEW=${2:?new jar}; FILE=${3:-/tmp/big.bin}; RUNS=${4:-3}; CHUNK=${5:-0}
OUT=$(mktemp -d /tmp/tus-ab.XXXX)
pids=(); trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start() { # NAME PORT JAR
  local name=$1 port=$2 jar=$3
  setsid env LABDESK_AUTH=none LABDESK_PORT="$port" LABDESK_DATA_DIR="$OUT/$name" "$JAVA" -Xmx512m -jar "$jar" > "$OUT/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.1; done
  echo "$BENCH: $name did not start" >&2; return 1
}
start old 18411 "$OLD"
start new 18412 "$NEW"
bytes=$(stat -c %s "$FILE")
send() { # BASE URL: the file's PATCHes; prints seconds
  local base=$1 url=$2 t0 t1 offset=0
  t0=$(date +%s.%N)
  if [ "$CHUNK" = 0 ]; then
    curl -sf -o /dev/null -X PATCH -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' \
      -T "$FILE" "$base$url"
  else
    while [ "$offset" -lt "$bytes" ]; do
      dd if="$FILE" of="$OUT/chunk" bs=1M iflag=skip_bytes,count_bytes skip="$offset" count="$CHUNK" status=none
      curl -sf -o /dev/null -X PATCH -H 'Tus-Resumable: 1.0.0' -H "Upload-Offset: $offset" -H 'Content-Type: application/offset+octet-stream' \
        -T "$OUT/chunk" "$base$url"
      offset=$((offset + CHUNK)); [ "$offset" -gt "$bytes" ] && offset=$bytes
    done
  fi
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
}
for run in $(seq 1 "$RUNS"); do
  for mode in old new; do
    case $mode in old) port=18411;; new) port=18412;; esac
    base="http://127.0.0.1:$port"
    plan=$(curl -sf -H 'Content-Type: application/json' -d "{\"context\":{\"name\":\"ab\",\"description\":\"ab\"},\"files\":[{\"path\":\"big.bin\",\"size\":$bytes}]}" "$base/uploads")
    id=$(echo "$plan" | sed 's/.*"upload_id":"\([^"]*\)".*/\1/'); url=$(echo "$plan" | sed 's/.*"url":"\([^"]*\)".*/\1/')
    t=$(send "$base" "$url")
    curl -sf -o /dev/null -X POST "$base/uploads/$id/complete"
    echo "run=$run mode=$mode MB_per_s=$(awk -v b="$bytes" -v t="$t" 'BEGIN {printf "%.1f", b/t/1e6}')" | tee -a "$OUT/summary"
    rm -rf "$OUT/$mode/volumes/dataset-volume-"* # the next run finds the same empty disk
  done
done
for mode in old new; do
  echo "median $mode: $(grep "mode=$mode " "$OUT/summary" | sed 's/.*=//' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') MB/s"
done
