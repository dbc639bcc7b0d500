#!/usr/bin/env bash
# Scale-out chat: a message sent on worker A, a second socket of the same user on worker B, through a
# real redis-server, against both sockets on one in-memory worker (offline agent).
#   bench/chat-relay.sh [MESSAGES] [RUNS]     (defaults 300 2; needs redis-server on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-300}; runs=${2:-2}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
./mvnw -B -q -pl worker -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
cp="worker/target/test-classes:worker/target/classes:shared-model/target/classes:$(cat worker/target/test-cp.txt)"
for i in $(seq "$runs"); do
  for mode in memory redis; do
    "$java" -cp "$cp" dev.labdesk.worker.chat.ChatRelayBench "$mode" "$messages" 2>/dev/null | grep '^{'
  done
done
