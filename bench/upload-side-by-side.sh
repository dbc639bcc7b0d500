#!/usr/bin/env bash
# Upload throughput and peak RSS, the Flask reference and the Labdesk worker interleaved run by run
# (the machine's speed drifts, so alternating is the fair comparison), with the peers' own
# load/upload.sh and load/fs-floor.py, on ext4 (/tmp) and tmpfs (/dev/shm).
#   bench/upload-side-by-side.sh [ROUNDS]     (default 3; each round = one run of each server)
#   JAR=… picks another worker jar, WORKER_PORT=… another port for it (default 8080).
# Prerequisites: ./mvnw -DskipTests package; Flask 3.1 on $FLASK_PY (see ../shared/peers/README.md).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
L=$PEERS/load
ROUNDS=${1:-3}
FLASK_PY=${FLASK_PY:-$(pyenv which python3 2>/dev/null || command -v python3)}
OUT=${OUT:-/tmp/labdesk-bench/upload-$(date +%Y%m%d-%H%M%S)}
JAR=${JAR:-$ROOT/worker/target/labdesk-worker.jar}
WPORT=${WORKER_PORT:-8080}
mkdir -p "$OUT"
BENCH=upload-side-by-side; . bench/lib.sh
JAVA=$(bench_java25) || exit 1
PIDS=()
start() { # start NAME URL -- CMD...   (prints the server's pid)
  local name=$1 url=$2; shift 3
  setsid "$@" > "$OUT/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do curl -s -o /dev/null --max-time 1 "$url" && { echo $pid; return 0; }; sleep 0.1; done
  echo "$name did not start" >&2; kill $pid; exit 1
}
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; }
trap cleanup EXIT
for fs in ext4 tmpfs; do
  if [ $fs = ext4 ]; then base=/tmp/labdesk-bench/$fs; else base=/dev/shm/labdesk-bench; fi
  rm -rf "$base"; mkdir -p "$base/flask" "$base/flask-tmp" "$base/worker"
  fpid=$(cd "$PEERS/seed-flask" && start flask-$fs http://127.0.0.1:5000/ -- env UPLOAD_ROOT="$base/flask" TMPDIR="$base/flask-tmp" MAX_FORM_PARTS=10000 "$FLASK_PY" app.py)
  wpid=$(start worker-$fs http://127.0.0.1:$WPORT/health -- env LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_PORT=$WPORT LABDESK_DATA_DIR="$base/worker" "$JAVA" -Xmx512m -jar "$JAR")
  PIDS=("$fpid" "$wpid")
  for mode in big many; do
    for r in $(seq 1 "$ROUNDS"); do
      "$L/upload.sh" http://127.0.0.1:5000 "$fpid" $mode 1 "$base/flask" 2>&1 | grep '^run=' | sed "s/^/flask $fs /" | tee -a "$OUT/runs.txt"
      "$L/upload.sh" http://127.0.0.1:$WPORT "$wpid" $mode 1 "$base/worker/volumes" 2>&1 | grep '^run=' | sed "s/^/worker $fs /" | tee -a "$OUT/runs.txt"
    done
  done
  cleanup; PIDS=()
  mkdir -p "$base/floor"
  for r in 1 2 3; do python3 "$L/fs-floor.py" "$base/floor" 2>&1 | tail -n 1 | sed "s/^/floor $fs /" | tee -a "$OUT/runs.txt"; rm -rf "$base/floor"/*; done
  rm -rf "$base"
done
echo "== medians (MB/s, peak RSS MiB)" | tee "$OUT/summary.txt"
for who in flask worker; do for fs in ext4 tmpfs; do for mode in big many; do
  grep "^$who $fs run=.* mode=$mode " "$OUT/runs.txt" | sed -E 's/.*MB_per_s=([0-9.]+).*peak_rss_MiB=([0-9]+).*/\1 \2/' | sort -n |
    awk -v w="$who" -v f="$fs" -v m="$mode" '{v[NR]=$1; r[NR]=$2} END {if (NR) printf "%-6s %-5s %-4s MB/s median %s (min %s max %s), peak RSS %s MiB, %d runs\n", w, f, m, v[int((NR+1)/2)], v[1], v[NR], r[int((NR+1)/2)], NR}' | tee -a "$OUT/summary.txt"
done; done; done
grep '^floor' "$OUT/runs.txt" | tee -a "$OUT/summary.txt"
echo "raw output: $OUT"
