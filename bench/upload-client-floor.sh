#!/usr/bin/env bash
# The client's floor for the upload benchmark: the peers' load/upload.sh (unchanged) against
# bench/sink-server.py, which reads each body and discards it. Whatever a server does with the
# files, it cannot go faster than this on this machine; docs/BENCHMARKS.md compares the 2,000-file
# target (90 % of load/fs-floor.py on tmpfs) with it.
#   bench/upload-client-floor.sh [RUNS]      (5 by default; both upload shapes)
# Run under the machine's protocol: flock -o -x /tmp/bench.lock bench/upload-client-floor.sh
set -uo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(pwd)/../shared/peers}
RUNS=${1:-5}
PORT=${PORT:-18450}
python3 bench/sink-server.py "$PORT" &
SINK=$!
trap 'kill $SINK 2>/dev/null' EXIT
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
echo "client floor, $(date -u +%H:%M) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in many big; do
  bash "$PEERS/load/upload.sh" "http://127.0.0.1:$PORT" "$SINK" "$mode" "$RUNS" | grep -E '^(run|median)' | sed 's/ response=.*//'
done
