#!/usr/bin/env python3
"""The worker's bridge to Modal: what the JVM cannot do itself, because Modal has no SDK for it.

The worker (ModalVolumeStore, ModalSandboxLauncher) runs one command per operation and reads JSON
lines from stdout; the last line is the result. Written against the Modal SDK 1.5.4 (pinned in
labdesk_modal.py). Commands:

  check                                   is the Modal SDK importable here?
  put  --volume NAME --source DIR         create volume NAME if missing and upload DIR into its root
  get  --volume NAME --path REL --dest F  copy one file of the volume to F (exit 3 when it is absent)
  run  --app APP --name NAME --volume V --mount M --timeout S --cpu C --memory MIB
       [--image-id ID] [--env NAME]... [--sync-path REL --sync-wait S] -- COMMAND...
                                          start COMMAND in a Sandbox named NAME (any container finds it
                                          with Sandbox.from_name), stream its stdout and stderr as
                                          {"event": "stdout"|"stderr", "line": …}; once it ends, wait until
                                          REL is readable in the volume (a v1 Volume has what the
                                          Sandbox wrote only after it exits); end with {"event": "exit",
                                          "code": …, "status": "ok"|"timeout"|"terminated"|"cancelled"}.
                                          SIGTERM, even during Sandbox.create, terminates the Sandbox;
                                          SIGKILL leaves it running for another container to find.
  status --app APP [--run NAME=VOLUME]... [--sync-path REL --sync-wait S]
                                          for each run: {"event": "status", "name": …, "state":
                                          "running"} or, once the Sandbox is gone, "gone" with
                                          "report": whether REL is in its volume
  terminate --app APP --name NAME         terminate the Sandbox named NAME if it still runs

Secrets (the run token, OPENAI_API_KEY) reach the Sandbox as a Secret built from this process's
environment (--env NAME), never on a command line. The Sandbox runs the worker's own image
(--image-id, else $LABDESK_MODAL_IMAGE_ID, which labdesk_modal.py sets from Modal's MODAL_IMAGE_ID).
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

import modal
from modal.exception import NotFoundError, SandboxTimeoutError

_emit_lock = threading.Lock()


def emit(**fields):
    with _emit_lock:
        try:
            sys.stdout.write(json.dumps(fields) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            pass  # the worker stopped reading (it is gone): what matters is what happens to the Sandbox


def check(_args):
    emit(ok=True, modal=getattr(modal, "__version__", "unknown"))
    return 0


def put(args):
    volume = modal.Volume.from_name(args.volume, create_if_missing=True)
    files = 0
    for _root, _dirs, names in os.walk(args.source):
        files += len(names)
    with volume.batch_upload(force=True) as batch:
        batch.put_directory(args.source, "/")
    emit(ok=True, volume=args.volume, files=files)
    return 0


def get(args):
    volume = modal.Volume.from_name(args.volume)
    try:
        chunks = volume.read_file(args.path)
        os.makedirs(os.path.dirname(os.path.abspath(args.dest)), exist_ok=True)
        size = 0
        with open(args.dest + ".part", "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
        os.replace(args.dest + ".part", args.dest)
    except FileNotFoundError:
        emit(ok=False, error="not_found", path=args.path)
        return 3
    emit(ok=True, bytes=size)
    return 0


def readable(volume_name, path, wait_seconds):
    """Whether PATH is in the volume's committed state, polling up to WAIT_SECONDS for a commit to land.

    A listing of its folder, not a read: the file itself is fetched once, when a client asks for it.
    """
    volume = modal.Volume.from_name(volume_name)
    wanted = path.strip("/")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            if any(entry.path.strip("/") == wanted for entry in volume.listdir(os.path.dirname(wanted) or "/")):
                return True
        except (NotFoundError, FileNotFoundError):
            pass  # the folder is not there yet either
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)


class Cancelled(Exception):
    """SIGTERM from the worker: cancel or time-out of the run."""


def run(args):
    state = {"sandbox": None, "stop": False}

    def on_sigterm(_signum, _frame):
        if state["sandbox"] is None:
            state["stop"] = True  # Sandbox.create is under way: terminate what it returns
        else:
            raise Cancelled()

    # before create: a cancel while the Sandbox is being created must not leave it running
    signal.signal(signal.SIGTERM, on_sigterm)
    image_id = args.image_id or os.environ.get("LABDESK_MODAL_IMAGE_ID") or os.environ.get("MODAL_IMAGE_ID")
    if not image_id:
        emit(ok=False, event="error", error="no_image",
             message="no image for the Sandbox: set LABDESK_MODAL_IMAGE_ID (labdesk_modal.py sets it from MODAL_IMAGE_ID)")
        return 1
    app = modal.App.lookup(args.app, create_if_missing=True)
    secret = modal.Secret.from_dict({name: os.environ[name] for name in args.env if name in os.environ})
    sandbox = modal.Sandbox.create(
        *args.command,
        app=app,
        name=args.name,
        image=modal.Image.from_id(image_id),
        volumes={args.mount: modal.Volume.from_name(args.volume)},
        secrets=[secret],
        timeout=args.timeout,
        workdir=args.mount,
        cpu=args.cpu,
        memory=args.memory,
    )
    state["sandbox"] = sandbox
    try:
        emit(event="started", sandbox_id=sandbox.object_id, name=args.name)
        if state["stop"]:
            raise Cancelled()
        errors = threading.Thread(target=lambda: [emit(event="stderr", line=line.rstrip("\n")) for line in sandbox.stderr],
                                  daemon=True)
        errors.start()
        for line in sandbox.stdout:
            emit(event="stdout", line=line.rstrip("\n"))
        try:
            sandbox.wait(raise_on_termination=False)
        except SandboxTimeoutError:
            errors.join(timeout=10)
            emit(event="exit", code=sandbox.returncode if sandbox.returncode is not None else 124, status="timeout")
            return 0
        errors.join(timeout=10)
    except Cancelled:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sandbox.terminate()
        emit(event="exit", code=-15, status="cancelled")
        return 0
    code = sandbox.returncode
    status = "terminated" if code == 137 else "ok"  # 137: terminated from elsewhere (another container's cancel)
    if code == 0 and args.sync_path:
        if readable(args.volume, args.sync_path, args.sync_wait):
            emit(event="synced", path=args.sync_path)
        else:
            emit(event="stderr", line=f"{args.sync_path} did not appear in {args.volume} within {args.sync_wait} s of the Sandbox's exit")
    emit(event="exit", code=code, status=status)
    return 0


def status(args):
    for entry in args.run:
        name, _, volume = entry.partition("=")
        try:
            sandbox = modal.Sandbox.from_name(args.app, name)
            if sandbox.poll() is None:
                emit(event="status", name=name, state="running", sandbox_id=sandbox.object_id)
                continue
        except NotFoundError:
            pass  # from_name finds running Sandboxes only
        report = bool(args.sync_path) and readable(volume, args.sync_path, args.sync_wait)
        emit(event="status", name=name, state="gone", report=report)
    emit(ok=True)
    return 0


def terminate(args):
    try:
        sandbox = modal.Sandbox.from_name(args.app, args.name)
    except NotFoundError:
        emit(ok=True, terminated=False)
        return 0
    sandbox.terminate()
    emit(ok=True, terminated=True, sandbox_id=sandbox.object_id)
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="bridge.py")
    commands = parser.add_subparsers(dest="command_name", required=True)
    commands.add_parser("check")
    p = commands.add_parser("put")
    p.add_argument("--volume", required=True)
    p.add_argument("--source", required=True)
    g = commands.add_parser("get")
    g.add_argument("--volume", required=True)
    g.add_argument("--path", required=True)
    g.add_argument("--dest", required=True)
    r = commands.add_parser("run")
    r.add_argument("--app", required=True)
    r.add_argument("--name", required=True)
    r.add_argument("--volume", required=True)
    r.add_argument("--mount", required=True)
    r.add_argument("--timeout", type=int, required=True)
    r.add_argument("--cpu", type=float, required=True)
    r.add_argument("--memory", type=int, required=True)
    r.add_argument("--image-id")
    r.add_argument("--env", action="append", default=[])
    r.add_argument("--sync-path")
    r.add_argument("--sync-wait", type=float, default=60)
    r.add_argument("command", nargs=argparse.REMAINDER)
    s = commands.add_parser("status")
    s.add_argument("--app", required=True)
    s.add_argument("--run", action="append", default=[])
    s.add_argument("--sync-path")
    s.add_argument("--sync-wait", type=float, default=60)
    t = commands.add_parser("terminate")
    t.add_argument("--app", required=True)
    t.add_argument("--name", required=True)
    args = parser.parse_args(argv)
    if args.command_name == "run":
        if args.command and args.command[0] == "--":
            args.command = args.command[1:]
        if not args.command:
            parser.error("run needs a command after --")
    try:
        return {"check": check, "put": put, "get": get, "run": run, "status": status,
                "terminate": terminate}[args.command_name](args)
    except Exception as e:  # one JSON line the worker can show, not a traceback it cannot parse
        emit(ok=False, event="error", error=type(e).__name__, message=str(e))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
