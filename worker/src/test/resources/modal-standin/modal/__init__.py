"""A stand-in for the `modal` package, for the bridge's tests: the SDK cannot be installed here.

It implements exactly the calls bridge.py makes, with the same names and keyword arguments, on
this machine: volumes are directories under $MODAL_STANDIN_ROOT/volumes/{name}, a Sandbox is a local
process whose arguments and working directory have the mount path replaced by the volume's
directory, and a Secret from a dict is that process's environment. What it cannot show: Modal's
network, image builds, volume commit/reload semantics, quotas and errors.
"""
import contextlib
import io
import os
import pathlib
import shutil
import subprocess

__version__ = "standin"
_ROOT = pathlib.Path(os.environ.get("MODAL_STANDIN_ROOT", "/tmp/modal-standin"))
_CALLS = _ROOT / "calls.log"


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
    def __init__(self, layers):
        self.layers = layers

    @staticmethod
    def from_registry(tag, **_kwargs):
        return Image([("registry", tag)])

    def add_local_file(self, local_path, remote_path, **_kwargs):
        if not os.path.isfile(local_path):
            raise FileNotFoundError(local_path)
        return Image(self.layers + [("file", local_path, remote_path)])


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
    def __init__(self, name):
        self.name = name
        self.root = _ROOT / "volumes" / name

    @staticmethod
    def from_name(name, *, create_if_missing=False):
        volume = Volume(name)
        if not volume.root.is_dir():
            if not create_if_missing:
                raise NotFoundError(f"Volume '{name}' not found")
            volume.root.mkdir(parents=True)
        _record(f"Volume.from_name {name} create_if_missing={create_if_missing}")
        return volume

    @contextlib.contextmanager
    def batch_upload(self, force=False):
        _record(f"Volume.batch_upload {self.name} force={force}")
        yield _Batch(self.root, force)

    def read_file(self, path):
        _record(f"Volume.read_file {self.name} {path}")
        target = self.root / path.lstrip("/")
        if not target.is_file():
            raise FileNotFoundError(path)
        with open(target, "rb") as f:
            while True:
                chunk = f.read(1 << 16)
                if not chunk:
                    return
                yield chunk


class NotFoundError(Exception):
    pass


class _Lines:
    def __init__(self, stream):
        self.stream = stream

    def __iter__(self):
        for line in self.stream:
            yield line


class Sandbox:
    def __init__(self, process):
        self.process = process
        self.object_id = f"sb-standin-{process.pid}"
        self.stdout = _Lines(process.stdout)
        self.returncode = None

    @staticmethod
    def create(*args, app=None, image=None, volumes=None, secrets=None, timeout=300, workdir=None, **_kwargs):
        mounts = {str(m): v.root for m, v in (volumes or {}).items()}

        def local(text):
            for mount, root in mounts.items():
                if text == mount or text.startswith(mount + "/") or ("=" + mount) in text:
                    text = text.replace(mount, str(root))
            return text

        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
        for s in secrets or []:
            env.update(s.values)
        _record(f"Sandbox.create app={app.name if app else None} volumes={sorted(mounts)} timeout={timeout} "
                f"secrets={sorted(k for s in secrets or [] for k in s.values)}")
        process = subprocess.Popen([local(a) for a in args], cwd=local(workdir) if workdir else None, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        return Sandbox(process)

    def wait(self, raise_on_termination=True):
        self.returncode = self.process.wait()
        return self.returncode

    def terminate(self):
        _record(f"Sandbox.terminate {self.object_id}")
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
