"""A stand-in for the `modal` package (SDK 1.5.4), for the bridge's tests: the SDK cannot be installed here.

It implements the calls bridge.py makes, with the SDK's names, keyword arguments and errors, and is
stricter than a happy path wherever the SDK is (checked against the SDK's source, py/modal/sandbox.py,
volume.py, _image.py, exception.py at 1.5.4):

- `Volume.from_name` is lazy: a missing volume fails on first use (`modal.exception.NotFoundError`);
- a Sandbox is a detached local process (`_sandbox_host.py`) that outlives the process that created
  it; any process finds it with `Sandbox.from_name(app_name, name)` while it runs and with
  `Sandbox.from_id(id)` at any time;
- `sandbox.stdout` and `sandbox.stderr` are separate streams any handle can read from the start;
- `wait()` raises `SandboxTimeoutError` after a timeout and `SandboxTerminatedError` after
  `terminate()` unless `raise_on_termination=False`; `returncode` is then 124 / 137 as in the SDK;
- a Sandbox mounts a private copy of each volume; what it writes reaches the volume only after it
  has ended, and a moment later (a v1 Volume's commit on exit).

Everything lives under $MODAL_STANDIN_ROOT: volumes/{name}, sandboxes/{id}, names/{app}/{name},
and calls.log, one line per SDK call. What it cannot show: Modal's network, image builds, quotas.
"""
import contextlib
import io
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid

from . import exception
from .exception import AlreadyExistsError, NotFoundError, SandboxTerminatedError, SandboxTimeoutError

__version__ = "1.5.4-standin"
_ROOT = pathlib.Path(os.environ.get("MODAL_STANDIN_ROOT", "/tmp/modal-standin"))
_CALLS = _ROOT / "calls.log"
_HOST = pathlib.Path(__file__).with_name("_sandbox_host.py")


def _check_object_name(name, kind):
    # the SDK's rule (py/modal/_utils/name_utils.py), checked before any call to Modal
    if not (len(name) <= 64 and re.match("^[a-zA-Z0-9-_.]+$", name) and not re.match("^ap-[a-zA-Z0-9]{22}$", name)):
        raise exception.InvalidError(f"Invalid {kind} name: '{name}'")


def _record(call):
    _ROOT.mkdir(parents=True, exist_ok=True)
    with open(_CALLS, "a", encoding="utf-8") as f:
        f.write(call + "\n")


class App:
    def __init__(self, name):
        self.name = name

    @staticmethod
    def lookup(name, *, create_if_missing=False):
        _record(f"App.lookup {name} create_if_missing={create_if_missing}")
        return App(name)


class Image:
    def __init__(self, object_id):
        self.object_id = object_id

    @staticmethod
    def from_id(image_id):
        if not image_id.startswith("im-"):
            raise exception.Error(f"not an image id: {image_id!r}")
        _record(f"Image.from_id {image_id}")
        return Image(image_id)


class Secret:
    def __init__(self, values):
        self.values = dict(values)

    @staticmethod
    def from_dict(values):
        return Secret(values)


class _Batch:
    def __init__(self, root, force):
        self.root = root
        self.force = force

    def _target(self, remote_path):
        target = (self.root / remote_path.lstrip("/")).resolve()
        if not str(target).startswith(str(self.root.resolve())):
            raise ValueError("outside the volume: " + remote_path)
        return target

    def put_file(self, local_file, remote_path):
        target = self._target(remote_path)
        if target.exists() and not self.force:
            raise FileExistsError(remote_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(local_file, io.IOBase):
            target.write_bytes(local_file.read())
        else:
            shutil.copyfile(local_file, target)

    def put_directory(self, local_path, remote_path):
        for dirpath, _dirs, names in os.walk(local_path):
            for name in names:
                source = os.path.join(dirpath, name)
                rel = os.path.relpath(source, local_path)
                self.put_file(source, os.path.join(remote_path, rel))


class Volume:
    def __init__(self, name, create_if_missing):
        self.name = name
        self.root = _ROOT / "volumes" / name
        self._create_if_missing = create_if_missing
        self._hydrated = False

    @staticmethod
    def from_name(name, *, create_if_missing=False):
        _check_object_name(name, "Volume")
        # lazy, as in the SDK: nothing is looked up until the handle is used
        _record(f"Volume.from_name {name} create_if_missing={create_if_missing}")
        return Volume(name, create_if_missing)

    def _hydrate(self):
        if self._hydrated:
            return
        if not self.root.is_dir():
            if not self._create_if_missing:
                raise NotFoundError(f"Volume '{self.name}' not found")
            self.root.mkdir(parents=True, exist_ok=True)
        self._hydrated = True

    @contextlib.contextmanager
    def batch_upload(self, force=False):
        self._hydrate()
        _record(f"Volume.batch_upload {self.name} force={force}")
        yield _Batch(self.root, force)

    def listdir(self, path, *, recursive=False):
        self._hydrate()
        _record(f"Volume.listdir {self.name} {path}")
        folder = self.root / path.lstrip("/")
        if not folder.exists():
            raise NotFoundError(f"No such file or directory: {path}")
        found = folder.rglob("*") if recursive else folder.iterdir()
        return [FileEntry(str(p.relative_to(self.root)), 2 if p.is_dir() else 1, int(p.stat().st_mtime), p.stat().st_size)
                for p in sorted(found)]

    def read_file(self, path):
        _record(f"Volume.read_file {self.name} {path}")
        self._hydrate()
        target = self.root / path.lstrip("/")
        if not target.is_file():
            raise FileNotFoundError(path)
        with open(target, "rb") as f:
            while True:
                chunk = f.read(1 << 16)
                if not chunk:
                    return
                yield chunk


class FileEntry:
    """modal.volume.FileEntry: path (relative to the volume's root), type (1 file, 2 directory), mtime, size."""

    def __init__(self, path, type, mtime, size):
        self.path, self.type, self.mtime, self.size = path, type, mtime, size


class _StreamReader:
    """Follows one of a Sandbox's output files from its start until the Sandbox has ended and all is read."""

    def __init__(self, sandbox, file_name):
        self._sandbox = sandbox
        self._file = sandbox._home / file_name

    def __iter__(self):
        with open(self._file, "r", encoding="utf-8", errors="replace") as f:
            partial = ""
            while True:
                chunk = f.readline()
                if chunk:
                    partial += chunk
                    if partial.endswith("\n"):
                        yield partial
                        partial = ""
                    continue
                if self._sandbox._result() is not None:
                    rest = f.read()
                    if partial + rest:
                        yield partial + rest
                    return
                time.sleep(0.05)

    def read(self):
        return "".join(self)


class Sandbox:
    def __init__(self, object_id):
        self.object_id = object_id
        self._home = _ROOT / "sandboxes" / object_id
        self._final = None
        self.stdout = _StreamReader(self, "stdout")
        self.stderr = _StreamReader(self, "stderr")

    @staticmethod
    def create(*args, app=None, name=None, image=None, secrets=None, timeout=300, workdir=None, cpu=None,
               memory=None, volumes=None, **kwargs):
        if kwargs:
            raise TypeError(f"Sandbox.create() got unexpected keyword arguments {sorted(kwargs)} (in the stand-in)")
        if name is not None:
            _check_object_name(name, "Sandbox")
        if app is None:
            raise exception.Error("Sandboxes require an App when created outside of a Modal container")
        if not all(isinstance(a, str) for a in args):
            raise exception.Error("All entrypoint arguments must be strings")
        # how long Modal takes to schedule it (tests of a cancel during create set it)
        time.sleep(float(os.environ.get("MODAL_STANDIN_CREATE_DELAY", "0")))
        object_id = "sb-" + uuid.uuid4().hex[:22]
        home = _ROOT / "sandboxes" / object_id
        home.mkdir(parents=True)
        name_file = None
        if name is not None:
            names = _ROOT / "names" / app.name
            names.mkdir(parents=True, exist_ok=True)
            name_file = names / name
            try:
                with open(name_file, "x") as f:
                    f.write(object_id)
            except FileExistsError:
                raise AlreadyExistsError(f"Sandbox with name '{name}' already exists in app '{app.name}'")
        mounts = {}
        for index, (mount, volume) in enumerate((volumes or {}).items()):
            volume._hydrate()
            private = home / "mounts" / str(index)
            shutil.copytree(volume.root, private)  # what the volume had committed when the Sandbox started
            mounts[str(mount)] = (private, volume.root)

        def local(text):
            for mount, (private, _root) in mounts.items():
                if text == mount or text.startswith(mount + "/") or ("=" + mount) in text:
                    text = text.replace(mount, str(private))
            return text

        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
        for s in secrets or []:
            env.update(s.values)
        _record(f"Sandbox.create app={app.name} name={name} image={image.object_id if image else None} "
                f"cpu={cpu} memory={memory} volumes={sorted(mounts)} timeout={timeout} "
                f"secrets={sorted(k for s in secrets or [] for k in s.values)}")
        spec = {"args": [local(a) for a in args], "workdir": local(workdir) if workdir else None, "env": env,
                "timeout": timeout, "name_file": str(name_file) if name_file else None,
                "mounts": {str(p): str(r) for p, r in mounts.values()}}
        (home / "spec.json").write_text(json.dumps(spec))
        (home / "stdout").touch()
        (home / "stderr").touch()
        # detached: the Sandbox outlives the process (and the worker) that created it
        subprocess.Popen([sys.executable, str(_HOST), str(home)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if (home / "host.pid").exists():
                break
            time.sleep(0.025)
        return Sandbox(object_id)

    @staticmethod
    def from_name(app_name, name):
        name_file = _ROOT / "names" / app_name / name
        try:
            object_id = name_file.read_text().strip()
        except FileNotFoundError:
            raise NotFoundError(f"Sandbox with name '{name}' not found in app '{app_name}'")
        _record(f"Sandbox.from_name {app_name} {name}")
        return Sandbox(object_id)

    @staticmethod
    def from_id(sandbox_id):
        if not (_ROOT / "sandboxes" / sandbox_id).is_dir():
            raise NotFoundError(f"Sandbox {sandbox_id} not found")
        _record(f"Sandbox.from_id {sandbox_id}")
        return Sandbox(sandbox_id)

    def _result(self):
        if self._final is None:
            try:
                self._final = json.loads((self._home / "result.json").read_text())
            except FileNotFoundError:
                return None
        return self._final

    @property
    def returncode(self):
        result = self._result()
        if result is None:
            return None
        return {"timeout": 124, "terminated": 137}.get(result["status"], result["exitcode"])

    def poll(self):
        return self.returncode

    def wait(self, raise_on_termination=True):
        while self._result() is None:
            time.sleep(0.05)
        status = self._result()["status"]
        if status == "timeout":
            raise SandboxTimeoutError()
        if status == "terminated" and raise_on_termination:
            raise SandboxTerminatedError()

    def terminate(self, *, wait=False):
        _record(f"Sandbox.terminate {self.object_id}")
        if self._result() is None:
            try:
                os.kill(int((self._home / "host.pid").read_text()), signal.SIGTERM)
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
        if wait:
            self.wait(raise_on_termination=False)
            return self.returncode
