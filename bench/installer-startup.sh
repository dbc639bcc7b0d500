#!/usr/bin/env bash
# Start-up of the installed app (jpackage launcher, jlinked runtime with CDS) against the same app
# on a full JDK 25 (java -XX:+UseZGC -jar desktop/target/labdesk-desktop.jar, as the README says), alternated run by run under one
# Xvfb so that both see the same machine load: launch → main window mapped, and launch → embedded
# worker listening. Each run has a fresh empty home. Prints every run and the medians.
#
#   bench/installer-startup.sh packaging/target/installer/labdesk_0.1.0_amd64.deb [RUNS (default 7)] [JDK]
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "${1:?usage: $0 LABDESK_DEB [RUNS] [JDK]}") runs=${2:-7} jdk=${3:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=$PWD/desktop/target/labdesk-desktop.jar
work=$(mktemp -d /tmp/labdesk-startup.XXXXXX)
xvfb_pid="" pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$work/display")"

# $1 label, then the command; prints "label window_ms worker_ms"
one() {
  local label=$1; shift
  local home=$work/home-$label-$RANDOM
  mkdir -p "$home"
  local t0 win="" wid
  t0=$(date +%s%3N)
  (cd "$home" && exec env -i DISPLAY="$DISPLAY" HOME="$home" XDG_DATA_HOME="$home/data" PATH=/usr/bin:/bin LANG=C.UTF-8 \
      JAVA_TOOL_OPTIONS="-Duser.home=$home" "$@" >"$home/out.log" 2>&1) &
  pid=$!
  for _ in $(seq 2400); do
    if [ -z "$win" ]; then
      wid=$(xwininfo -root -tree 2>/dev/null | awk '/"Labdesk": \(/ {print $1; exit}')
      [ -n "$wid" ] && xwininfo -id "$wid" | grep -q IsViewable && win=$(($(date +%s%3N) - t0))
    fi
    grep -q 'worker listening' "$home/out.log" 2>/dev/null && break
    sleep 0.05
  done
  local worker=$(($(date +%s%3N) - t0))
  xdotool mousemove --window "$wid" 200 200 windowfocus --sync "$wid" key --clearmodifiers ctrl+q
  wait "$pid" || true
  pid=""
  echo "$label $win $worker"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: >"$work/results"
for i in $(seq "$runs"); do
  one installed "$work/root/opt/labdesk/bin/Labdesk" | tee -a "$work/results"
  one jdk "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseZGC -jar "$jar" | tee -a "$work/results"
done
for label in installed jdk; do
  echo "$label: window median $(awk -v l=$label '$1==l {print $2}' "$work/results" | median) ms," \
       "worker listening median $(awk -v l=$label '$1==l {print $3}' "$work/results" | median) ms ($runs runs)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
