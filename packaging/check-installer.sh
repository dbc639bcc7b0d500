#!/usr/bin/env bash
# Checks the Linux installer the way a user meets it: the .deb's metadata and dependencies, then the
# package unpacked into a scratch root (dpkg-deb -x: nothing is installed on this machine), its
# launcher started under Xvfb with an empty home, the main window awaited, a dataset uploaded to the
# app's embedded worker and analysed by an agent JVM from the bundled runtime, a screenshot taken
# and checked, and the app quit with Ctrl+Q. Exits non-zero, saying why, when any of that fails:
# no window, a crash, a blank screenshot, an agent that does not succeed, files written into the
# install folder, a process left behind.
#
#   packaging/check-installer.sh [--deb FILE] [--screenshot FILE] [--runs N]
#
#   --deb FILE         check this .deb instead of building one (./mvnw -Pinstaller -DskipTests package)
#   --screenshot FILE  where the screenshot goes (default packaging/target/check/installed-app.png)
#   --runs N           also start and quit the app N more times and print the launch → window times
#                      (the start-up figure in docs/BENCHMARKS.md)
#
# Needs: dpkg-deb, Xvfb (xvfb), xwininfo (x11-utils), xdotool, import/identify (imagemagick), curl,
# and the libraries the .deb depends on (libgtk-3-0, libgl1, ...). .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

deb="" shot="$repo/packaging/target/check/installed-app.png" runs=0
window_timeout=${CHECK_WINDOW_TIMEOUT:-60} # seconds
while (($#)); do
  case "$1" in
    --deb) deb=$(realpath "$2"); shift 2 ;;
    --screenshot) shot=$(realpath -m "$2"); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--deb FILE] [--screenshot FILE] [--runs N]" >&2; exit 2 ;;
  esac
done

fail() { echo "check-installer: FAIL: $*" >&2; exit 1; }
step() { echo "check-installer: $*"; }
for tool in dpkg-deb Xvfb xwininfo xdotool import identify curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install dpkg xvfb x11-utils xdotool imagemagick curl)"
done

scratch=$(mktemp -d /tmp/labdesk-check.XXXXXX)
launch_key=$(head -c 32 /dev/urandom | base64 | tr -d "/+=\n" | head -c 40) # the app's key for this check only
xvfb_pid="" app_pid=""
cleanup() {
  local rc=$?
  [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null && { pkill -KILL -P "$app_pid" 2>/dev/null || true; kill -KILL "$app_pid" 2>/dev/null || true; }
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  if ((rc)) && [ -f "$scratch/app.log" ]; then echo "--- app output (last 40 lines) ---" >&2; tail -40 "$scratch/app.log" >&2; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

if [ -z "$deb" ]; then
  step "building the installer (./mvnw -Pinstaller -DskipTests package)"
  start=$SECONDS
  ./mvnw -B -ntp -q -Pinstaller -DskipTests package
  step "built in $((SECONDS - start)) s"
  deb=$(ls packaging/target/installer/labdesk_*_"$(dpkg --print-architecture)".deb 2>/dev/null | head -1)
  [ -n "$deb" ] || fail "no .deb in packaging/target/installer/"
fi
[ -f "$deb" ] || fail "$deb does not exist"
step "package $deb ($(stat -c %s "$deb") bytes)"

# --- the package's metadata: name, a numeric version, the libraries JavaFX needs, a menu entry ---
info=$(dpkg-deb --info "$deb")
echo "$info" | grep -E '^ (Package|Version|Depends|Installed-Size):'
echo "$info" | grep -qx ' Package: labdesk' || fail "package name is not labdesk"
echo "$info" | grep -qE '^ Version: [0-9]+\.[0-9]+\.[0-9]+$' || fail "version is not numeric"
depends=$(echo "$info" | sed -n 's/^ Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ *$//')
for dep in 'libgtk-3-0t64 | libgtk-3-0' libgl1 libxtst6 libxxf86vm1 libstdc++6; do
  grep -qxF "$dep" <<<"$depends" || fail "Depends lacks '$dep': $(paste -sd, <<<"$depends")"
done
# the dependencies must resolve on this machine's release (names change: libgtk-3-0 → libgtk-3-0t64)
if command -v apt-get >/dev/null && compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  apt-get satisfy -s "$(dpkg-deb -f "$deb" Depends)" >"$scratch/apt.log" 2>&1 ||
    fail "the package's Depends do not resolve here: $(grep -E 'Depends|E:' "$scratch/apt.log" | head -3)"
  step "Depends resolve on this release"
fi
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for path in ./opt/labdesk/bin/Labdesk ./opt/labdesk/lib/runtime/bin/java ./opt/labdesk/lib/app/labdesk-desktop.jar \
            ./opt/labdesk/lib/labdesk-Labdesk.desktop ./opt/labdesk/lib/Labdesk.png; do
  grep -qx "$path" <<<"$contents" || fail "the package lacks $path"
done

# --- unpack into a scratch root; the app gets an empty home and its own XDG folders ---
root=$scratch/root app=$scratch/root/opt/labdesk
mkdir -p "$root" "$scratch"/{home,data,config,cache,nojdk} "$(dirname "$shot")"
dpkg-deb -x "$deb" "$root"
grep -q '^Icon=/opt/labdesk/lib/Labdesk.png$' "$app/lib/labdesk-Labdesk.desktop" || fail "menu entry has no icon"
[ "$(identify -format '%w' "$app/lib/Labdesk.png")" -ge 128 ] || fail "the icon is jpackage's default, not Labdesk's"
step "runtime modules: $("$app/lib/runtime/bin/java" --list-modules | sed 's/@.*//' | paste -sd' ')"

# A java on the PATH would be a JDK the app must not need: this one fails loudly if anything runs it.
printf '#!/bin/sh\necho "a java from the PATH was started: $0 $*" >&2\ntouch %q\nexit 97\n' "$scratch/java-from-path-used" > "$scratch/nojdk/java"
chmod +x "$scratch/nojdk/java"


Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$scratch/display" ] && break; sleep 0.1; done
[ -s "$scratch/display" ] || fail "Xvfb did not start: $(cat "$scratch/xvfb.log")"
export DISPLAY=":$(cat "$scratch/display")"

now_ms() { date +%s%3N; }
window_id() { xwininfo -root -tree 2>/dev/null | awk '/"Labdesk": \(/ {print $1; exit}'; }

# Starts the installed launcher; sets app_pid and window_ms (launch → main window mapped, in ms).
launch() {
  touch "$scratch/before-launch"
  # Java takes user.home from the passwd entry, not from $HOME: point it at the empty home too, so
  # that nothing (JavaFX's native-library cache) reaches the real one
  # started from the (empty) home folder, as a menu entry would start it
  (cd "$scratch/home" && exec env -i DISPLAY="$DISPLAY" HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
      XDG_CACHE_HOME="$scratch/cache" PATH="$scratch/nojdk:/usr/bin:/bin" LANG=C.UTF-8 LABDESK_EMBEDDED_KEY="$launch_key" \
      JAVA_TOOL_OPTIONS="-Duser.home=$scratch/home" \
      "$app/bin/Labdesk" >"$scratch/app.log" 2>&1) &
  app_pid=$!
  local t0 wid=""
  t0=$(now_ms)
  for _ in $(seq $((window_timeout * 20))); do
    kill -0 "$app_pid" 2>/dev/null || { wait "$app_pid" || true; fail "the app exited before showing its window"; }
    wid=$(window_id)
    [ -n "$wid" ] && xwininfo -id "$wid" | grep -q 'Map State: IsViewable' && break
    wid=""
    sleep 0.05
  done
  [ -n "$wid" ] || fail "no Labdesk window within $window_timeout s"
  window_ms=$(($(now_ms) - t0))
  window=$wid
}

# Quits with the app's own shortcut (Ctrl+Q) and expects a clean exit with nothing left running.
quit() {
  xdotool mousemove --window "$window" 200 200 windowfocus --sync "$window" key --clearmodifiers ctrl+q
  for _ in $(seq 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid"
    fail "the app did not exit within 30 s of Ctrl+Q (sent SIGTERM)"
  fi
  local rc=0
  wait "$app_pid" || rc=$?
  ((rc == 0)) || fail "the app exited with status $rc"
  app_pid=""
  local left
  left=$(pgrep -af -- "$app/" || true)
  [ -z "$left" ] || fail "processes left running after quit: $left"
  [ -z "$(window_id)" ] || fail "the window is still there after quit"
}

step "launching $app/bin/Labdesk on $DISPLAY"
launch
step "main window $window shown after $window_ms ms"

# the embedded worker: its log line names the port; /health must answer healthy
url=""
for _ in $(seq 1200); do
  url=$(grep -oE 'Labdesk worker listening on http://127\.0\.0\.1:[0-9]+' "$scratch/app.log" | grep -oE 'http://.*' || true)
  [ -n "$url" ] && break
  kill -0 "$app_pid" 2>/dev/null || fail "the app crashed while starting its worker"
  sleep 0.1
done
[ -n "$url" ] || fail "the embedded worker did not start within 120 s"
health=$(curl -sf "$url/health") || fail "$url/health did not answer"
grep -q '"status":"healthy"' <<<"$health" || fail "worker not healthy: $health"
step "embedded worker $url healthy"

# the embedded worker takes nothing without the app's launch key (chosen here through LABDESK_EMBEDDED_KEY)
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/sessions")
[ "$code" = 401 ] || fail "the embedded worker answered $code to a request without its key"
step "embedded worker refuses a request without its key"
auth=(-H "Authorization: Bearer $launch_key")

# a dataset through the installed app's worker: the agent JVM must come from the bundled runtime
mkdir -p "$scratch/dataset/plates"
printf 'well,od600,temp\nA1,0.12,37\nA2,0.15,37\nB1,0.33,30\nB2,0.41,30\n' >"$scratch/dataset/plates/day1.csv"
printf '{"well":"A1","strain":"K-12"}\n{"well":"B1","strain":"BL21"}\n' >"$scratch/dataset/plates/strains.jsonl"
accepted=$(curl -sf "${auth[@]}" -F name="Installer check" -F description="OD600 of two plates, checked after installing" \
  -F "files=@$scratch/dataset/plates/day1.csv;filename=plates/day1.csv" \
  -F "files=@$scratch/dataset/plates/strains.jsonl;filename=plates/strains.jsonl" "$url/upload") ||
  fail "upload refused"
sid=$(grep -oE '"session_id":"[0-9a-f-]+"' <<<"$accepted" | cut -d'"' -f4)
[ -n "$sid" ] || fail "no session id in $accepted"
status="" agent_exe=""
for _ in $(seq 2400); do
  for child in $(pgrep -P "$app_pid" || true); do
    exe=$(readlink "/proc/$child/exe" 2>/dev/null || true)
    [ -n "$exe" ] && agent_exe=$exe
  done
  status=$(curl -sf "${auth[@]}" "$url/sessions/$sid" | grep -oE '"status":"[a-z_]+"' | head -1 | cut -d'"' -f4 || true)
  case "$status" in succeeded | failed | cancelled) break ;; esac
  sleep 0.05
done
[ "$status" = succeeded ] || fail "the session ended '$status', not succeeded (agent log: $(tail -5 "$scratch/data/labdesk/worker/agents/$sid.log" 2>/dev/null))"
[ -n "$agent_exe" ] || fail "no agent process was seen"
[ "$agent_exe" = "$app/lib/runtime/bin/java" ] || fail "the agent ran on $agent_exe, not the bundled runtime"
curl -sf "${auth[@]}" "$url/sessions/$sid/report" | grep -q 'plates/day1.csv' || fail "the report does not describe the dataset"
step "upload $sid succeeded; the agent ran on $agent_exe"
[ ! -e "$scratch/java-from-path-used" ] || fail "something started java from the PATH"
grep -q "$scratch/root/opt/labdesk/lib/runtime/lib/server/libjvm.so" "/proc/$app_pid/maps" ||
  fail "the app's JVM is not the bundled runtime's"

# data in the app-data folder, nothing written into the install folder
[ -d "$scratch/data/labdesk/worker/volumes/dataset-volume-$sid" ] || fail "the volume is not under \$XDG_DATA_HOME/labdesk"
written=$(find "$root" -newer "$scratch/before-launch" | head -5)
[ -z "$written" ] || fail "the app wrote into the install folder: $written"

# the screenshot shows the finished run: refresh the session list (F5), open the run (a click on the
# list's first row), then wait until the window has changed and holds still
signature() { import -window "$window" png:- 2>/dev/null | identify -format '%#' - 2>/dev/null; }
settle() { # $1: the signature before; succeeds once the window differs from it and two frames agree
  local last="" cur
  for _ in $(seq 100); do
    cur=$(signature)
    [ "$cur" != "$1" ] && [ "$cur" = "$last" ] && return 0
    last=$cur
    sleep 0.15
  done
  return 1
}
before=$(signature)
xdotool mousemove --window "$window" 700 600 windowfocus --sync "$window" key F5
settle "$before" || true # the row may already say succeeded
before=$(signature)
xdotool mousemove --window "$window" 90 82 click 1
settle "$before" || echo "check-installer: warning: the window did not change after opening the run" >&2

for _ in $(seq 50); do
  import -window "$window" "$shot"
  # the window must not be one colour: a blank or black frame has (almost) no spread
  spread=$(identify -format '%[fx:standard_deviation]' "$shot")
  colours=$(identify -format '%k' "$shot")
  awk -v s="$spread" 'BEGIN {exit !(s > 0.05)}' && ((colours > 200)) && break
  sleep 0.2
done
awk -v s="$spread" 'BEGIN {exit !(s > 0.05)}' && ((colours > 200)) || fail "the screenshot looks blank ($colours colours, spread $spread)"
[ "$(identify -format '%w' "$shot")" -ge 800 ] || fail "the main window is narrower than 800 px"
step "screenshot $shot ($colours colours, spread $spread)"

quit
step "quit with Ctrl+Q: exit status 0, no process left"

if ((runs > 0)); then
  times=()
  for i in $(seq "$runs"); do
    launch
    times+=("$window_ms")
    quit
    step "run $i: window after $window_ms ms"
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n | paste -sd' ')
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  step "launch → window over $runs runs (ms, sorted): $sorted; median $median"
fi
echo "check-installer: 1 passed, 0 failed"
