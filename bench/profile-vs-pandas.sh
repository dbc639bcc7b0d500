#!/usr/bin/env bash
# The agent's whole run on one large CSV against DuckDB's own SUMMARIZE and against pandas (read_csv,
# describe(include='all'), nunique()), same file, runs interleaved; then the agent once more with DuckDB's
# memory limit at a third of the file's size, to show the profile spills instead of running out of memory.
#   bench/profile-vs-pandas.sh            (ROWS=30000000 RUNS=3 DIR=a new temp dir SPILL_LIMIT=auto THREADS=nproc)
# Needs JDK 25, PYTHON (default /usr/bin/python3) with pandas (Debian: apt-get install python3-pandas) and GNU time (/usr/bin/time).
# Each tool is timed as a process, from launch to exit (the agent's exit follows its written report), wall
# time, CPU time (user + system: the fairer measure on a shared machine) and peak RSS by /usr/bin/time;
# medians at the end, every run in $DIR/runs.tsv.
set -euo pipefail
BENCH=profile-vs-pandas
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"
ROWS=${ROWS:-30000000}
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-$(nproc)}
DIR=${DIR:-$(mktemp -d /tmp/profile-vs-pandas.XXXX)}
JAVA=$(bench_java25) || exit 1
export JAVA_HOME=$(dirname "$(dirname "$JAVA")")
[ -x /usr/bin/time ] || { echo "$BENCH: needs GNU time (/usr/bin/time)" >&2; exit 1; }
"$PYTHON" -c 'import pandas' 2>/dev/null || { echo "$BENCH: needs pandas for $PYTHON (Debian: apt-get install python3-pandas)" >&2; exit 1; }
mkdir -p "$DIR"

# the agent's class path: this checkout's classes (offline build, nothing installed)
(cd "$ROOT" && ./mvnw -B -ntp -o -q -pl worker -am compile dependency:build-classpath -Dmdep.outputFile="$DIR/cp.txt" >"$DIR/build.log" 2>&1)
CP="$ROOT/worker/target/classes:$(cat "$DIR/cp.txt")"
DUCKDB_JAR=$(tr ':' '\n' < "$DIR/cp.txt" | grep duckdb_jdbc)
duck() { "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$DUCKDB_JAR" "$ROOT/bench/profile/DuckSql.java" "SET threads = $THREADS" "$@"; }

CSV="$DIR/table.csv"
if [ ! -s "$CSV" ]; then
  echo "$BENCH: writing $ROWS rows to $CSV"
  duck "$(sed -e "s/ROWS/$ROWS/" -e "s#OUT#$CSV#" "$ROOT/bench/profile/generate.sql" | grep -v '^--')" 2>/dev/null
fi
BYTES=$(stat -c %s "$CSV")
echo "$BENCH: $CSV, $BYTES bytes, $ROWS rows; $THREADS threads; $RUNS runs each"

PORT=$((20000 + RANDOM % 20000))
python3 "$ROOT/bench/sink-server.py" "$PORT" & SINK=$!
trap 'kill $SINK 2>/dev/null || true' EXIT

# one agent run as the worker starts it (ProcessAgentLauncher's JVM options), on a volume holding the file; MEMORY_LIMIT optional
agent() {
  local vol="$DIR/volume-$1"
  rm -rf "$vol" && mkdir -p "$vol" && ln "$CSV" "$vol/table.csv"
  LABDESK_RUN_TOKEN=bench LABDESK_DUCKDB_MEMORY_LIMIT=${2:-} /usr/bin/time -f "%e %M %U %S" -o "$DIR/time-$1" \
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Dfile.encoding=UTF-8 \
    -Djava.io.tmpdir="$DIR" -cp "$CP" dev.labdesk.worker.agent.AgentMain --session-id="bench-$1" --volume="$vol" \
    --log-url="http://127.0.0.1:$PORT/log" > "$DIR/out-$1" 2>&1 || { echo "$BENCH: agent run $1 failed:" >&2; tail -5 "$DIR/out-$1" >&2; exit 1; }
  [ -s "$vol/results/report.json" ] || { echo "$BENCH: agent run $1 wrote no report" >&2; exit 1; }
  ! grep -q "could not be read" "$vol/results/report.md" || { echo "$BENCH: agent run $1 did not profile the table:" >&2; grep -m1 "table.csv" "$vol/results/report.md" >&2; exit 1; }
  cp "$vol/results/report.md" "$DIR/report-$1.md"
  rm -rf "$vol"
}
summarize() { /usr/bin/time -f "%e %M %U %S" -o "$DIR/time-$1" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$DUCKDB_JAR" "$ROOT/bench/profile/DuckSql.java" \
  "SET threads = $THREADS" "SUMMARIZE SELECT * FROM read_csv('$CSV')" > "$DIR/out-$1" 2>&1; }
pandas() { /usr/bin/time -f "%e %M %U %S" -o "$DIR/time-$1" "$PYTHON" "$ROOT/bench/profile/pandas_profile.py" "$CSV" > "$DIR/out-$1" 2>&1; }

# load_1m: the machine's load average as the run ended (wall times on a shared machine are only as good as it is low)
printf 'tool\trun\twall_s\tpeak_rss_kb\tcpu_s\tload_1m\n' > "$DIR/runs.tsv"
record() { read -r wall rss user sys < "$DIR/time-$2"; printf '%s\t%s\t%s\t%s\t%.2f\t%s\n' "$1" "$3" "$wall" "$rss" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$DIR/runs.tsv"; }
for run in $(seq 1 "$RUNS"); do
  summarize "summarize-$run" && record summarize "summarize-$run" "$run"
  agent "agent-$run" && record agent "agent-$run" "$run"
  pandas "pandas-$run" && record pandas "pandas-$run" "$run"
done

# spilling: DuckDB's memory limit at a third of the file; at least 96 MB, as its CSV reader needs a 30.5 MiB buffer per thread
SPILL_LIMIT=${SPILL_LIMIT:-$(( BYTES / 3 / 1048576 > 96 ? BYTES / 3 / 1048576 : 96 ))MB}
agent spill "$SPILL_LIMIT" && record agent-spill spill "$SPILL_LIMIT"

median() { awk -F'\t' -v t="$1" -v c="$2" '$1 == t { print $c }' "$DIR/runs.tsv" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "medians of $RUNS runs ($BYTES bytes, $ROWS rows, $THREADS threads):"
for tool in summarize agent pandas; do printf '  %-9s %8.1f s wall  %8.1f s CPU  %6d MB peak RSS\n' "$tool" "$(median $tool 3)" "$(median $tool 5)" "$(( $(median $tool 4 | cut -d. -f1) / 1024 ))"; done
awk -v a="$(median agent 3)" -v s="$(median summarize 3)" -v p="$(median pandas 3)" -v ac="$(median agent 5)" -v sc="$(median summarize 5)" -v pc="$(median pandas 5)" \
  -v ar="$(median agent 4)" -v pr="$(median pandas 4)" 'BEGIN {
  printf "  agent / SUMMARIZE %.2fx wall, %.2fx CPU (target <= 1.5); pandas / agent %.2fx wall, %.2fx CPU (target >= 3)\n", a / s, ac / sc, p / a, pc / ac
  printf "  agent peak RSS / pandas peak RSS %.2f (target <= 0.2)\n", ar / pr }'
echo "  agent with memory_limit $SPILL_LIMIT: $(tail -1 "$DIR/runs.tsv" | awk -F'\t' '{ printf "%.1f s wall, %.1f s CPU, %d MB peak RSS", $3, $5, $4 / 1024 }'), report in $DIR/report-spill.md"
