#!/usr/bin/env bash
# Proves that check-installer.sh fails when it should: it is run on two broken copies of a real .deb
# and must exit non-zero with the matching reason each time.
#   - the launcher names a main class that does not exist: the app crashes at once;
#   - the launcher starts the worker alone (no JavaFX): no window ever appears.
#
#   packaging/check-installer-fails.sh packaging/target/installer/labdesk_0.1.0_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "${1:?usage: $0 LABDESK_DEB}")
work=$(mktemp -d /tmp/labdesk-check-fails.XXXXXX)
trap 'rm -rf "$work"' EXIT
dpkg-deb -R "$deb" "$work/pkg"
cfg=$work/pkg/opt/labdesk/lib/app/Labdesk.cfg

# $1 name, $2 main class, $3 the reason the check must give, $4 the app's arguments (optional)
expect_failure() {
  sed -i "s/^app.mainclass=.*/app.mainclass=$2/; /^\[ArgOptions\]/,\$d" "$cfg"
  [ -z "${4:-}" ] || printf '[ArgOptions]\narguments=%s\n' "$4" >>"$cfg"
  DPKG_DEB_COMPRESSOR_TYPE=gzip DPKG_DEB_COMPRESSOR_LEVEL=1 dpkg-deb -b "$work/pkg" "$work/$1.deb" >/dev/null
  local rc=0
  CHECK_WINDOW_TIMEOUT=20 packaging/check-installer.sh --deb "$work/$1.deb" --screenshot "$work/$1.png" >"$work/$1.log" 2>&1 || rc=$?
  if ((rc == 0)); then echo "check-installer-fails: the check passed a package that $1" >&2; cat "$work/$1.log" >&2; exit 1; fi
  grep -q "FAIL: $3" "$work/$1.log" || { echo "check-installer-fails: '$1' failed for another reason:" >&2; grep FAIL "$work/$1.log" >&2; exit 1; }
  echo "check-installer-fails: a package that $1 fails the check: $(grep -o 'FAIL: .*' "$work/$1.log")"
}
expect_failure crashes dev.labdesk.desktop.NoSuchMain "the app exited before showing its window"
expect_failure shows-no-window dev.labdesk.worker.WorkerMain "no Labdesk window within 20 s" --port=0
echo "check-installer-fails: 2 passed, 0 failed"
