#!/usr/bin/env bash
# Cold start: process launch → GET /health 200, for the worker jar (plain, with CDS, with the JDK 25 AOT
# cache) and the FastAPI reference, measured in one run with the peers' coldstart.sh (hyperfine).
#   bench/coldstart-compare.sh [RUNS]      (needs: hyperfine, curl, /usr/bin/python3 with fastapi+uvicorn)
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
[ -f "$aot" ] || "$java" -XX:AOTCacheOutput="$aot" -cp "$jar" dev.labdesk.worker.modal.AotTraining >/dev/null 2>&1
export LABDESK_DATA_DIR=$out/data LABDESK_PORT=8000
run() {
  local name=$1; shift
  echo "== $name"
  COLDSTART_OUT=$out/$name "$peers/load/coldstart.sh" http://127.0.0.1:8000/health "$runs" "$@" | tail -1
}
(cd "$peers/seed-fastapi" && run fastapi /usr/bin/python3 main.py)
run java-plain "$java" -jar "$jar"
run java-aot "$java" -XX:AOTCache="$aot" -jar "$jar"
run java-aot-c1 "$java" -XX:AOTCache="$aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar"
