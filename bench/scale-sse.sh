#!/usr/bin/env bash
# Scale-out: SSE delivery p99 and records/s with the agent's batched POST /log on worker A and the
# SSE subscriber on worker B, through a real redis-server, against one in-memory worker.
#   bench/scale-sse.sh [RECORDS] [BATCH] [RUNS]     (defaults 20000 100 3; needs redis-server on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-20000}; batch=${2:-100}; runs=${3:-3}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
./mvnw -B -q -pl worker -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
cp="worker/target/test-classes:worker/target/classes:shared-model/target/classes:$(cat worker/target/test-cp.txt)"
for i in $(seq "$runs"); do
  for mode in memory redis; do
    "$java" -Dlogback.configurationFile=/dev/null -cp "$cp" dev.labdesk.worker.redis.ScaleBench "$mode" "$records" "$batch" 2>/dev/null | grep '^{'
  done
done
