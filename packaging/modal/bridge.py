#!/usr/bin/env python3
"""The worker's bridge to Modal: what the JVM cannot do itself, because Modal has no SDK for it.

The worker (ModalVolumeStore, ModalSandboxLauncher) runs one command per operation and reads JSON
lines from stdout; the last line is the result. Commands:

  check                                   is the Modal SDK importable and authenticated here?
  put  --volume NAME --source DIR         create volume NAME if missing and upload DIR into its root
  get  --volume NAME --path REL --dest F  copy one file of the volume to F (exit 3 when it is absent)
  run  --app APP --volume NAME --mount M --timeout S [--jar JAR] [--env NAME]... -- COMMAND...
                                          start COMMAND in a Sandbox with the volume mounted at M,
                                          stream its output as {"event": "stdout", "line": …}, end with
                                          {"event": "exit", "code": …}; SIGTERM terminates the Sandbox.

Secrets (the run token, OPENAI_API_KEY) reach the Sandbox as a Secret built from this process's
environment (--env NAME), never on a command line.
"""
import argparse
import json
import os
import signal
import sys

import modal

AGENT_IMAGE = "eclipse-temurin:25-jre"
JAR_IN_SANDBOX = "/opt/labdesk/labdesk-worker.jar"


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


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


def run(args):
    app = modal.App.lookup(args.app, create_if_missing=True)
    image = modal.Image.from_registry(AGENT_IMAGE)
    if args.jar:  # the worker's own jar, which holds the agent
        image = image.add_local_file(args.jar, JAR_IN_SANDBOX)
    secret = modal.Secret.from_dict({name: os.environ[name] for name in args.env if name in os.environ})
    volume = modal.Volume.from_name(args.volume)
    sandbox = modal.Sandbox.create(
        *args.command,
        app=app,
        image=image,
        volumes={args.mount: volume},
        secrets=[secret],
        timeout=args.timeout,
        workdir=args.mount,
    )

    def stop(_signum, _frame):
        sandbox.terminate()
        emit(event="exit", code=-15, cancelled=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    emit(event="started", sandbox_id=getattr(sandbox, "object_id", None))
    for line in sandbox.stdout:
        emit(event="stdout", line=line.rstrip("\n"))
    sandbox.wait()
    emit(event="exit", code=sandbox.returncode)
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
    r.add_argument("--volume", required=True)
    r.add_argument("--mount", required=True)
    r.add_argument("--timeout", type=int, required=True)
    r.add_argument("--jar")
    r.add_argument("--env", action="append", default=[])
    r.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command_name == "run":
        if args.command and args.command[0] == "--":
            args.command = args.command[1:]
        if not args.command:
            parser.error("run needs a command after --")
    try:
        return {"check": check, "put": put, "get": get, "run": run}[args.command_name](args)
    except Exception as e:  # one JSON line the worker can show, not a traceback it cannot parse
        emit(ok=False, event="error", error=type(e).__name__, message=str(e))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
