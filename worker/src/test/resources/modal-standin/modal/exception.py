"""The stand-in's `modal.exception`: the error classes the SDK raises where the bridge meets them."""


class Error(Exception):
    pass


class InvalidError(Error):
    """An argument the SDK refuses before asking Modal (an object name it does not allow, say)."""


class NotFoundError(Error):
    """A Volume, Sandbox or App that does not exist (or a Sandbox that is no longer running, for from_name)."""


class AlreadyExistsError(Error):
    """Sandbox.create with a name a running Sandbox of the same App already has."""


class TimeoutError(Error):
    pass


class SandboxTimeoutError(TimeoutError):
    """Sandbox.wait() on a Sandbox that ran past its timeout: raised whatever raise_on_termination says."""


class SandboxTerminatedError(Error):
    """Sandbox.wait() on a terminated Sandbox, unless raise_on_termination=False."""
