#!/usr/bin/env bash
# Chat WebSocket benchmark: the Labdesk worker (offline agent, so no model latency is measured)
# side by side with the FastAPI reference of ../shared/peers, same load script, same session,
# runs interleaved (the machine's speed drifts). Results: $OUT/summary.txt and one JSON line per run.
#   bench/chat-bench.sh [loop] [idle] [floor]   (RUNS=3 by default; loop and idle when no argument)
# BEFORE_JAR=path/to/other/labdesk-worker.jar adds that jar as server "before", run right after "worker"
#   in every round (an A/B of two builds in one session); FLOOR_SERVERS picks the floor's servers
#   (default: ideal echo worker reference). The reference is left out when its Python packages are missing.
# floor: at 1,000 connections in a closed loop, the same script against two servers that do nothing
#   but answer (bench/ideal-ws-server.js, Node's `ws`; bench/ChatEcho.java, the worker's own Javalin/
#   Jetty stack), interleaved with the worker and the reference: the floor of the client and transport.
# Prerequisites: ./mvnw -DskipTests package; node + npm; for the reference /usr/bin/python3 with
#   apt-get install -y python3-fastapi python3-uvicorn python3-websockets python3-uvloop python3-httptools
#
# The peers' load/ws-echo.js is copied to a scratch folder (npm ci there) and adapted by ONE sed:
# its payload {"message": "ping:<conn>:<seq>"} becomes our message frame
# {"type":"message","client_message_id":"<node pid>-ping:<conn>:<seq>","text":"ping:<conn>:<seq>"}
# (the pid keeps ids unique across runs on one server: the worker is idempotent on client_message_id,
# so a warm-up's "ping:0:1" resent by the measured run would get the stored reply, not a new one).
# Its matching rule is unchanged (the first frame containing the token counts). For the worker
# that is the first frame carrying the reply, which names the client message in reply_to: the
# offline interview's reply exists whole at once and is sent as its final `message` alone (no
# deltas; a model's reply would start with a `delta`), so the RTT is message → reply. (While the
# interview still fills the profile, i.e. in the warm-up, the `profile` frame sent just before the
# reply carries the token first: it names the message as a field's source.) The other frames
# (history, pings, other profile frames) count as "mismatched" in the script's output.
# The reference gets the same typed frame; it reads .message (absent) and echoes the raw text,
# which contains the token, so it is measured exactly as in RESULTS.md.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
RUNS=${RUNS:-3}
PORT=${PORT:-8090}
REF_PORT=${REF_PORT:-8091}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
# Warm-up passes before each measured run. One is not enough for the JVM: closing a pass's 1,000
# connections and opening the next one's takes paths the loop never took, and C2 throws away
# (deoptimises) the hot read/select/dispatch code on them, then recompiles it during the next pass.
WARMUP_RUNS=${WARMUP_RUNS:-2}
IDEAL_PORT=${IDEAL_PORT:-8092}
ECHO_PORT=${ECHO_PORT:-8093}
IDLE_CONNS=${IDLE_CONNS:-10000}
HEAP=${HEAP:-1g}
OUT=${OUT:-/tmp/labdesk-bench/chat-$(date +%Y%m%d-%H%M%S)}
JAR=${JAR:-$ROOT/worker/target/labdesk-worker.jar}
BEFORE_JAR=${BEFORE_JAR:-}
mkdir -p "$OUT"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "ulimit -n $(ulimit -n)" | tee "$OUT/summary.txt"

BENCH=chat-bench; . bench/lib.sh
JAVA=$(bench_java25) || exit 1
JBIN=$(dirname "$JAVA")
[ -f "$JAR" ] || { echo "chat-bench: $JAR missing: run ./mvnw -DskipTests package first" >&2; exit 1; }

L=$OUT/load
bench_load_scripts "$L" || exit 1
sed -i "s#return opt.format === 'json' ? JSON.stringify({ message: text }) : text;#return opt.format === 'json' ? JSON.stringify({ type: 'message', client_message_id: process.pid + '-' + text, text }) : text;#" "$L/ws-echo.js"
grep -q "client_message_id: process.pid" "$L/ws-echo.js" || { echo "chat-bench: could not adapt ws-echo.js" >&2; exit 1; }

SERVER_PID=
wait_ready() { # url: any HTTP answer counts (up to 120 s: the 170 MB jar starts slowly on a loaded 2-core machine)
  for _ in $(seq 1 1200); do
    case "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1")" in 000) ;; *) return 0 ;; esac
    sleep 0.1
  done
  echo "server did not become ready: $1" >&2; return 1
}
start_worker() { # [jar [log name]]
  local data=$OUT/data; [ -n "${2:-}" ] && data=$OUT/data-$2 # each build its own store
  setsid env LABDESK_AUTH=${LABDESK_AUTH:-none} LABDESK_PORT=$PORT LABDESK_DATA_DIR="$data" "$JBIN/java" -Xmx$HEAP \
    ${WORKER_JAVA_OPTS:-} -jar "${1:-$JAR}" > "$OUT/${2:-worker}.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "http://127.0.0.1:$PORT/health" || { stop_server; exit 1; }
}
start_reference() {
  (cd "$PEERS/seed-fastapi" && exec setsid env HOST=127.0.0.1 PORT=$REF_PORT /usr/bin/python3 main.py) > "$OUT/reference.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "http://127.0.0.1:$REF_PORT/health" || { stop_server; exit 1; }
}
start_ideal() {
  cp bench/ideal-ws-server.js "$L/" || exit 1
  setsid node "$L/ideal-ws-server.js" "$IDEAL_PORT" > "$OUT/ideal.log" 2>&1 & # finds `ws` beside it, in $L
  SERVER_PID=$!
  wait_ready "http://127.0.0.1:$IDEAL_PORT/" || { stop_server; exit 1; } # `ws` answers a plain GET with 426
}
start_echo() {
  setsid "$JBIN/java" -Xmx$HEAP -cp "$JAR" bench/ChatEcho.java "$ECHO_PORT" > "$OUT/echo.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "http://127.0.0.1:$ECHO_PORT/" || { stop_server; exit 1; } # Javalin answers a plain GET with 404
}
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
}
trap stop_server EXIT
cpu_s() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ {print int($2/1024)}' "/proc/$1/status"; }

# one_run NAME URL CONNS [extra ws-echo args]: fresh server, one load run, one JSON line with server figures
one_run() {
  local name=$1 url=$2 conns=$3; shift 3
  case $name in worker) start_worker ;; before) start_worker "$BEFORE_JAR" before ;; reference) start_reference ;; ideal) start_ideal ;; echo) start_echo ;; esac
  # Warm-up on the same server instance, not recorded: the JVM's JIT needs it, and on a shared
  # 2-core machine it needs longer than the measured run would leave it. Every server gets the same.
  if [ "$WARMUP" -gt 0 ]; then
    for _ in $(seq 1 "$WARMUP_RUNS"); do
      node "$L/ws-echo.js" --url "$url" --conns "$conns" --max-time 300 --duration "$WARMUP" --hold 0 > /dev/null
    done
  fi
  local c0; c0=$(cpu_s "$SERVER_PID")
  local t0; t0=$(date +%s.%N)
  local line; line=$(node "$L/ws-echo.js" --url "$url" --conns "$conns" --max-time 300 "$@")
  local t1; t1=$(date +%s.%N)
  local c1; c1=$(cpu_s "$SERVER_PID")
  local extra
  extra=$(printf '"server":"%s","server_cpu_pct":%s,"server_rss_mib":%s,"server_hwm_mib":%s' "$name" \
    "$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" 'BEGIN{printf "%d", (b-a)/(e-s)*100}')" \
    "$(rss_mib "$SERVER_PID")" "$(hwm_mib "$SERVER_PID")")
  if [ "$name" = worker ] || [ "$name" = before ]; then
    # G1 prints "garbage-first heap   total 1048576K, used 96551K"
    local heap; heap=$("$JBIN/jcmd" "$SERVER_PID" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
    [ -n "$heap" ] && heap=$((heap / 1024))
    extra="$extra,\"worker_heap_used_mib\":${heap:-null}"
  fi
  stop_server
  echo "${line%\}},$extra}"
}

sections=("$@"); [ ${#sections[@]} -eq 0 ] && sections=(loop idle)
# servers: NAMES... with "before" added after "worker" when BEFORE_JAR is set, "reference" dropped without its packages
servers() {
  local out=()
  for n in "$@"; do
    if [ "$n" = reference ] && ! /usr/bin/python3 -c 'import fastapi, uvicorn' 2>/dev/null; then
      echo "chat-bench: no fastapi/uvicorn for /usr/bin/python3: the reference is left out" >&2; continue
    fi
    out+=("$n")
    [ "$n" = worker ] && [ -n "$BEFORE_JAR" ] && out+=(before)
  done
  echo "${out[@]}"
}
port_of() { case $1 in worker|before) echo "$PORT" ;; reference) echo "$REF_PORT" ;; ideal) echo "$IDEAL_PORT" ;; echo) echo "$ECHO_PORT" ;; esac; }
want() { [[ " ${sections[*]} " == *" $1 "* ]]; }

if want loop; then
  for conns in 100 1000; do
    for r in $(seq 1 "$RUNS"); do
      for name in $(servers worker reference); do
        port=$(port_of "$name")
        one_run "$name" "ws://127.0.0.1:$port/chat" "$conns" --duration "$DURATION" --hold 2 | tee -a "$OUT/loop-$conns-$name.jsonl"
      done
    done
  done
fi
if want floor; then
  for r in $(seq 1 "$RUNS"); do
    for name in $(servers ${FLOOR_SERVERS:-ideal echo worker reference}); do
      port=$(port_of "$name")
      one_run "$name" "ws://127.0.0.1:$port/chat" 1000 --duration "$DURATION" --hold 2 | tee -a "$OUT/floor-1000-$name.jsonl"
    done
  done
fi
if want idle; then
  for name in $(servers worker reference); do
    port=$(port_of "$name")
    # one round trip each, then held idle for 10 s, then every connection must answer once more
    WARMUP=0 one_run "$name" "ws://127.0.0.1:$port/chat" "$IDLE_CONNS" --rounds 1 --duration 30 --hold 10 --ramp 200 | tee -a "$OUT/idle-$name.jsonl"
  done
fi

/usr/bin/python3 - "$OUT" <<'PY' | tee -a "$OUT/summary.txt"
import glob, json, os, statistics, sys
out = sys.argv[1]
def med(xs): return statistics.median(xs) if xs else None
for path in sorted(glob.glob(os.path.join(out, "*.jsonl"))):
    runs = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
    if not runs: continue
    def f(get):
        xs = [get(r) for r in runs]
        xs = [x for x in xs if x is not None]
        return f"{med(xs)} ({min(xs)}–{max(xs)})" if xs else "n/a"
    print(f"{os.path.basename(path)}: runs={len(runs)} held={f(lambda r: r.get('held_after_hold'))}/{runs[0].get('conns_requested')}"
          f" rt/s={f(lambda r: r.get('round_trips_per_s'))} p50={f(lambda r: r['rtt'].get('p50_ms'))} p99={f(lambda r: r['rtt'].get('p99_ms'))}"
          f" open_s={f(lambda r: r.get('open_s'))} server_cpu%={f(lambda r: r.get('server_cpu_pct'))} client_cpu%={f(lambda r: r.get('client_cpu_pct'))}"
          f" rss={f(lambda r: r.get('server_rss_mib'))}MiB heap_used={f(lambda r: r.get('worker_heap_used_mib'))}MiB"
          f" failures={f(lambda r: r.get('open_failures', 0) + r.get('closed_early', 0) + r.get('lost_in_flight', 0))}")
PY
echo "raw output: $OUT"
