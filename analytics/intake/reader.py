"""Read workbooks in a worker process with memory and time limits, so that no file can take the server down.

calamine is native code: on some files it asks for more memory than there is and aborts the whole process
(DEPENDENCY_NOTES.md), which no `except` can catch. workbook.py's guards refuse the shapes known to do that,
with a message naming the sheet; this module makes whatever they miss harmless.

One worker process is started once per server process and reused: a fresh interpreter that imports this
module and talks over an inherited socket. Unlike multiprocessing's "spawn" it never re-runs the caller's
__main__, so it starts the same under the CLI, pytest, a Streamlit script thread or a script without a main
guard. Its address space is capped at its size once started plus `Limits.reader_memory_mb` (RLIMIT_AS).

A batch's files go to it in one message and their sheets come back one by one, each within
`Limits.reader_seconds`, so a crash, a timeout or a MemoryError falls on the file being read. A timeout is that
file's; a crash or MemoryError is pinned on a file only when it was alone in its message to a fresh worker.
Otherwise the file, first, and the rest of the batch go one per message, from a fresh worker (one at a time,
so the next failure is proven). A pinned file is refused (reader-crashed / reader-timeout / reader-memory),
the worker is replaced, and the rest of the batch is read on.
"""
import atexit
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from analytics.intake.guards import Refused
from analytics.intake.limits import MB, Limits
from analytics.intake.messages import READER_MESSAGES
from analytics.intake.workbook import Sheet, read_sheets

FAILURES = ("reader-crashed", "reader-timeout", "reader-memory")
_ROOT = str(Path(__file__).resolve().parents[2])  # where `analytics` is imported from
_MESSAGE_BYTES = 64 * MB   # files per message: the worker holds one message at a time
_START_SECONDS = 120       # a worker's start-up (imports), on a busy machine: not any file's time
_NO_MEMORY = 3            # the worker's exit status when a message does not fit in its memory
_LOCK = threading.Lock()   # one batch at a time: a failure is then always this batch's own
_worker = None


class ReaderUnavailable(RuntimeError):
    """No worker process could be started: nothing can be read (an installation problem, not a file's)."""


def read_workbooks(blobs: list[bytes], limits: Limits) -> Iterator[list[Sheet] | Refused]:
    """Each workbook's sheets, or Refused with the reason, in the order given; read in the worker."""
    with _LOCK:
        done, alone = 0, False
        try:
            while done < len(blobs):
                worker = _ready(limits.reader_memory_mb)
                end = done + 1 if alone else _message_end(blobs, done)
                single = end - done == 1 and worker.answered == 0
                for outcome in worker.read(blobs[done:end], limits):
                    if isinstance(outcome, Refused) and outcome.code in FAILURES:
                        _replace()
                        if not single and outcome.code != "reader-timeout":
                            alone = True  # not proven: this file again, alone and first, in a fresh worker
                            break
                        outcome.params.update(limit=_limit(outcome.code, limits))
                    done += 1
                    yield outcome
        finally:
            if done < len(blobs):  # abandoned midway: its answers must not reach the next batch
                _replace()


def _limit(code: str, limits: Limits) -> str:
    if code == "reader-timeout":
        return READER_MESSAGES["seconds"].format(seconds=limits.reader_seconds)
    return f"{limits.reader_memory_mb:g} MB"


def _message_end(blobs: list[bytes], start: int) -> int:
    end, size = start + 1, len(blobs[start])
    while end < len(blobs) and size + len(blobs[end]) <= _MESSAGE_BYTES:
        size += len(blobs[end])
        end += 1
    return end


def _ready(memory_mb: float) -> "_Worker":
    global _worker
    if _worker is None or _worker.parent != os.getpid():  # none yet, or a forked copy of another's
        _worker = _Worker(memory_mb)
    elif _worker.memory_mb != memory_mb or _worker.process.poll() is not None:
        _replace()
        _worker = _Worker(memory_mb)
    return _worker


@atexit.register
def _replace() -> None:
    """Stop the current worker; the next read starts a fresh one."""
    global _worker
    if _worker is not None and _worker.parent == os.getpid():
        _worker.stop()
    _worker = None


class _Worker:
    def __init__(self, memory_mb: float):
        self.memory_mb, self.parent, self.answered = memory_mb, os.getpid(), 0
        ours, theirs = socket.socketpair()
        path = os.pathsep.join([_ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from analytics.intake.reader import serve; serve()", str(theirs.fileno()), str(memory_mb)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": path})
        except OSError as error:
            raise ReaderUnavailable(READER_MESSAGES["not-started"].format(reason=error)) from error
        finally:
            theirs.close()
        self.connection = Connection(ours.detach())
        try:
            if self.connection.poll(_START_SECONDS) and self.connection.recv() == "ready":
                return
        except (EOFError, OSError):
            pass
        self.stop()
        raise ReaderUnavailable(READER_MESSAGES["not-started"].format(reason=self._exit()))

    def read(self, blobs: list[bytes], limits: Limits) -> Iterator[list[Sheet] | Refused]:
        """The files' outcomes, sent in one message; a timeout or the worker's death is the current file's
        Refused, and the last."""
        try:
            self.connection.send((limits, blobs))
            for _ in blobs:
                if not self.connection.poll(limits.reader_seconds):
                    self.stop()
                    yield Refused("reader-timeout")
                    return
                outcome = self.connection.recv()
                self.answered += 1
                yield outcome
        except (EOFError, OSError):
            self.stop(grace=2)  # it is ending by itself: let it say how
            yield Refused("reader-memory" if self.process.returncode == _NO_MEMORY else "reader-crashed", self._exit())

    def stop(self, grace: float = 0) -> None:
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._exit()
        self.connection.close()

    def _exit(self) -> str:
        """How the worker ended, for the message: calamine aborts (SIGABRT) when an allocation fails."""
        try:
            code = self.process.wait(5)
        except subprocess.TimeoutExpired:
            return READER_MESSAGES["not-ended"]
        if code >= 0:
            return READER_MESSAGES["exit-code"].format(code=code)
        named = {sig: sig.name for sig in (signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV)}.get(-code)
        return READER_MESSAGES[named] if named else READER_MESSAGES["signal"].format(number=-code)


# In the worker ----------------------------------------------------------------------------------------

def serve() -> None:
    """The worker's loop: (limits, files) in, one outcome per file out, until the server goes away.
    argv: the socket's file descriptor, the memory allowed (MB)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's: it ends this process itself
    connection = Connection(int(sys.argv[1]))
    _cap_memory(float(sys.argv[2]))
    connection.send("ready")
    while True:
        try:
            limits, blobs = connection.recv()
        except (EOFError, OSError):
            return
        except MemoryError:
            os._exit(_NO_MEMORY)
        for data in blobs:
            try:
                outcome = read_sheets(data, limits)
            except Refused as refused:
                outcome = refused
            except MemoryError:
                outcome = Refused("reader-memory")
            try:
                connection.send(outcome)
            except MemoryError:  # pickling the sheets back
                outcome = None
                connection.send(Refused("reader-memory"))


def _cap_memory(memory_mb: float) -> None:
    """RLIMIT_AS at this process's size now plus `memory_mb`: beyond it allocations fail, in Python
    (MemoryError) or in calamine (which then aborts this process, and only this one)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):  # not Linux: no cap (the time limit still holds)
        return
    limit = size + int(memory_mb * MB)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:  # a cap set from outside already: never above it
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
