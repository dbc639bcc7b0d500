"""The stand-in's "Modal side" of one Sandbox: a detached process that outlives whoever created it.

    python3 _sandbox_host.py SANDBOX_DIR

It runs the command in SANDBOX_DIR/spec.json with stdout and stderr appended to files any process
may follow, stops it at its timeout (result "timeout") or on SIGTERM (Sandbox.terminate, result
"terminated"), writes result.json, frees the Sandbox's name, and only then, after COMMIT_DELAY,
copies each private mount back into its volume: as on a v1 Volume, what a Sandbox writes becomes
visible to others only after it has ended, and not at the same instant.
"""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

COMMIT_DELAY = 1.5


def main(sandbox_dir):
    home = pathlib.Path(sandbox_dir)
    spec = json.loads((home / "spec.json").read_text())
    terminated = []

    with open(home / "stdout", "ab", buffering=0) as out, open(home / "stderr", "ab", buffering=0) as err:
        child = subprocess.Popen(spec["args"], cwd=spec.get("workdir"), env=spec["env"], stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL)

        def terminate(_signum, _frame):
            terminated.append(True)
            child.terminate()

        signal.signal(signal.SIGTERM, terminate)
        (home / "host.pid").write_text(str(os.getpid()))
        deadline = time.monotonic() + spec["timeout"]
        status = None
        while True:
            try:
                code = child.wait(timeout=max(0.01, min(0.2, deadline - time.monotonic())))
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline:
                    status = "timeout"
                    child.kill()
        if terminated:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
            status = "terminated"
    result = {"status": status or "ok", "exitcode": code}
    (home / "result.json.part").write_text(json.dumps(result))
    os.replace(home / "result.json.part", home / "result.json")
    name_file = spec.get("name_file")
    if name_file:
        pathlib.Path(name_file).unlink(missing_ok=True)
    time.sleep(COMMIT_DELAY)
    for private, volume in spec["mounts"].items():
        shutil.copytree(private, volume, dirs_exist_ok=True)
    (home / "committed").write_text("")


if __name__ == "__main__":
    main(sys.argv[1])
