# Shared by the bench scripts (source it; BENCH names the calling script in messages, PEERS is ../shared/peers).

# The java of a JDK 25 (JAVA_HOME first, then /usr/lib/jvm and ~/.jdks): JAVA=$(bench_java25) || exit 1
bench_java25() {
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.jdks/*; do
    [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "25' && { echo "$d/bin/java"; return 0; }
  done
  echo "$BENCH: no JDK 25 found" >&2
  return 1
}

# DIR: a scratch copy of the peers' load scripts with their npm dependencies (ws) installed there.
bench_load_scripts() {
  mkdir -p "$1" && cp -r "$PEERS/load/." "$1/" && (cd "$1" && npm ci --silent --no-audit --no-fund >/dev/null)
}

# FILE: the copy's sse-latency.js reads our stream path (LABDESK_STREAM_PATH) and the run's log token
# (LABDESK_LOG_AUTH) from the environment; the peers' version hard-codes /stream and sends no token.
bench_adapt_sse_latency() {
  sed -i "s#path: '/stream'#path: process.env.LABDESK_STREAM_PATH || '/stream'#" "$1"
  sed -i "s#headers: { 'Content-Type': 'application/x-www-form-urlencoded', #headers: { ...(process.env.LABDESK_LOG_AUTH ? { Authorization: process.env.LABDESK_LOG_AUTH } : {}), 'Content-Type': 'application/x-www-form-urlencoded', #" "$1"
  grep -q LABDESK_STREAM_PATH "$1" && grep -q LABDESK_LOG_AUTH "$1" || { echo "$BENCH: could not adapt sse-latency.js" >&2; return 1; }
}
