#!/usr/bin/env bash
# Cold start: process launch → GET /health 200, for the worker jar (plain, with the JDK 25 AOT cache as
# the Modal image launches it, and AOT + C1 only + SerialGC) and the FastAPI reference, measured in one
# run with the peers' coldstart.sh (hyperfine). /health is answered by the worker's front door before
# Javalin and Jetty are up, so the last row times launch → GET /sessions 200 too: when the whole worker serves.
#   PORT=8000 bench/coldstart-compare.sh [RUNS]   (needs: hyperfine, curl, /usr/bin/python3 with fastapi+uvicorn)
# Build first: ./mvnw -B -DskipTests package  (writes worker/target/labdesk-worker.jar and .aot)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
peers=${PEERS:-/work/shared/peers}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
jar=$PWD/worker/target/labdesk-worker.jar
aot=$PWD/worker/target/labdesk-worker.aot
out=${OUT:-/tmp/labdesk-coldstart}
mkdir -p "$out"
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B -DskipTests package" >&2; exit 1; }
[ -f "$aot" ] || "$java" -XX:AOTCacheOutput="$aot" -cp "$jar" dev.labdesk.worker.AotTraining >/dev/null 2>&1
port=${PORT:-8000}
export LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_DATA_DIR=$out/data LABDESK_PORT=$port PORT=$port
run() {
  local name=$1 path=$2; shift 2
  echo "== $name ($path)"
  COLDSTART_OUT=$out/$name "$peers/load/coldstart.sh" "http://127.0.0.1:$port$path" "$runs" "$@" | tail -1
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$peers/seed-fastapi" && run fastapi /health /usr/bin/python3 main.py)
run java-plain /health "$java" -jar "$jar"
# the launch line of packaging/modal/labdesk_modal.py
run java-aot /health "$java" -XX:AOTCache="$aot" -jar "$jar"
run java-aot-c1 /health "$java" -XX:AOTCache="$aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar"
run java-aot-sessions /sessions "$java" -XX:AOTCache="$aot" -jar "$jar"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
