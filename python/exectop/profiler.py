"""profiler.py - ExecutorProfiler: measure executor runs, send them to exectop.

Each `with profiler.profile_executor(id) as ctx:` block becomes one JSON
record in exectop's record format (README, "What it reads"), sent to the sink
and appended to the profiler's journal, a private file from which
generate_report(), detect_regressions(), identify_bottlenecks(),
save_baseline() and export_report() have the exectop binary compute their
results (see analysis.py): the Python side never computes statistics.
"""
import contextvars
import functools
import json
import os
import pickle
import tempfile
import time
import tracemalloc

from . import analysis
from .sinks import open_sink

MIB = 1024.0 * 1024.0
MAX_ID_BYTES = 256

_current = contextvars.ContextVar("exectop_context", default=None)


def _utc(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + \
        ".%06dZ" % int((t % 1) * 1e6)


def _error(e):
    return "%s: %s" % (type(e).__name__, e) if str(e) else type(e).__name__


class _Memory:
    """Memory probes: tracemalloc (True / "tracemalloc": Python allocations,
    exact peak) or "rss" (process RSS through psutil or /proc/self/statm;
    peak = the larger of RSS at start and end)."""

    def __init__(self, mode):
        self.mode = "tracemalloc" if mode is True else mode
        self.started = False
        if self.mode == "tracemalloc":
            if not tracemalloc.is_tracing():
                tracemalloc.start()  # slows every allocation until stop()
                self.started = True
        elif self.mode == "rss":
            try:
                import psutil
                self._proc = psutil.Process()
                self.rss = lambda: self._proc.memory_info().rss
            except ImportError:
                page = os.sysconf("SC_PAGE_SIZE")

                def rss():
                    with open("/proc/self/statm", "rb") as f:
                        return int(f.read().split()[1]) * page
                self.rss = rss
        elif self.mode:
            raise ValueError("memory_tracking: True, False, 'tracemalloc' "
                             "or 'rss', not %r" % (mode,))

    def stop(self):
        if self.started and tracemalloc.is_tracing():
            tracemalloc.stop()
        self.started = False

    def start(self):
        if self.mode == "tracemalloc":
            cur, peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            return (cur, peak)
        return (self.rss(), 0)

    def end(self, start):
        """(footprint_mb, peak_mb) since start."""
        if self.mode == "tracemalloc":
            cur, peak = tracemalloc.get_traced_memory()
            # peak since start (a nested run resets it for the outer one)
            return (cur - start[0]) / MIB, peak / MIB
        cur = self.rss()
        return (cur - start[0]) / MIB, max(cur, start[0]) / MIB

    def now(self):
        if self.mode == "tracemalloc":
            return tracemalloc.get_traced_memory()[0]
        return self.rss()


class ProfilerContext:
    """One executor run in progress; what `profile_executor` yields."""

    def __init__(self, profiler, executor_id):
        self.profiler = profiler
        self.executor_id = executor_id
        self.methods = {}  # (class, method) -> dict, in first-call order
        self.result_set = False
        self.serialization_time_ms = None
        self.serialization_size_bytes = None
        self.serialization_error = None

    def add_method_call(self, class_name, method_name, execution_time_ms,
                        memory_delta_mb=0.0, call_count=1, success=True,
                        error=None):
        """Adds a method's measured time (ms) and memory delta (MB); repeated
        calls of one class.method are summed into one entry."""
        if not method_name:
            raise ValueError("method_name must be a non-empty string")
        if execution_time_ms < 0:
            raise ValueError("execution_time_ms must be >= 0")
        key = (class_name, method_name)
        m = self.methods.get(key)
        if m is None:
            self.methods[key] = {
                "class_name": class_name, "method_name": method_name,
                "execution_time_ms": float(execution_time_ms),
                "memory_delta_mb": float(memory_delta_mb or 0.0),
                "call_count": int(call_count), "success": bool(success),
                "error": error}
            return
        m["execution_time_ms"] += execution_time_ms
        m["memory_delta_mb"] += memory_delta_mb or 0.0
        m["call_count"] += call_count
        if not success:
            m["success"] = False
            m["error"] = error

    def method(self, class_name, method_name):
        """`with ctx.method("TextMiner", "extract"):` measures the block."""
        return _MethodTimer(self, class_name, method_name)

    def set_result(self, result):
        """Measures pickling the result (time and size).  A result that
        cannot be pickled leaves both unmeasured (null) and keeps the reason
        in the record's `serialization_error`; the run is not failed."""
        self.result_set = True
        t0 = time.perf_counter()
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # PicklingError, TypeError, RecursionError...
            self.serialization_time_ms = None
            self.serialization_size_bytes = None
            self.serialization_error = _error(e)
            return
        self.serialization_time_ms = (time.perf_counter() - t0) * 1000.0
        self.serialization_size_bytes = len(data)
        self.serialization_error = None


class _MethodTimer:
    __slots__ = ("ctx", "cls", "name", "t0", "m0")

    def __init__(self, ctx, cls, name):
        self.ctx, self.cls, self.name = ctx, cls, name

    def __enter__(self):
        mem = self.ctx.profiler._memory
        self.m0 = mem.now() if mem.mode else 0
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, et, e, tb):
        ms = (time.perf_counter() - self.t0) * 1000.0
        mem = self.ctx.profiler._memory
        dm = (mem.now() - self.m0) / MIB if mem.mode else 0.0
        self.ctx.add_method_call(self.cls, self.name, ms, dm,
                                 success=et is None,
                                 error=_error(e) if et is not None else None)
        return False


def profiled(class_name, method_name=None):
    """Decorator: inside a profile_executor block each call of the function
    is measured as class_name.method_name (default: the function's name);
    outside one it runs unmeasured."""
    def wrap(fn):
        name = method_name or fn.__name__

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            ctx = _current.get()
            if ctx is None:
                return fn(*args, **kwargs)
            with _MethodTimer(ctx, class_name, name):
                return fn(*args, **kwargs)
        return inner
    return wrap


class _Run:
    """The context manager profile_executor() returns."""

    __slots__ = ("p", "ctx", "token", "ts", "t0", "m0")

    def __init__(self, profiler, executor_id):
        self.p = profiler
        self.ctx = ProfilerContext(profiler, executor_id)

    def __enter__(self):
        self.token = _current.set(self.ctx)
        mem = self.p._memory
        self.m0 = mem.start() if mem.mode else None
        self.ts = time.time()
        self.t0 = time.perf_counter()
        return self.ctx

    def __exit__(self, et, e, tb):
        ms = (time.perf_counter() - self.t0) * 1000.0
        mem = self.p._memory
        foot, peak = mem.end(self.m0) if mem.mode else (None, None)
        _current.reset(self.token)
        c = self.ctx
        rec = {"executor_id": c.executor_id, "execution_time_ms": ms,
               "memory_footprint_mb": foot, "memory_peak_mb": peak,
               "serialization_time_ms": c.serialization_time_ms,
               "serialization_size_bytes": c.serialization_size_bytes,
               "success": et is None,
               "error": _error(e) if et is not None else None,
               "timestamp": _utc(self.ts),
               "method_calls": list(c.methods.values())}
        if c.serialization_error is not None:
            rec["serialization_error"] = c.serialization_error
        self.p._record(rec)
        return False  # an exception is recorded, then re-raised


class ExecutorProfiler:
    """The profiler's API.  sink: a path or URL (see sinks.open_sink) or None.
    memory_tracking: False, True (tracemalloc) or "rss".  exectop: the binary
    (default: $EXECTOP_BIN, else `exectop` on PATH).  config: an exectop YAML
    config passed with -c.  journal: where the profiler keeps its own runs for
    the reports (default: a temporary file removed by close(); False: none)."""

    def __init__(self, memory_tracking=False, sink=None, baseline_path=None,
                 auto_save_baseline=False, exectop=None, config=None,
                 journal=None):
        self.memory_tracking = memory_tracking
        self._memory = _Memory(memory_tracking)
        self.sink = open_sink(sink)
        self.baseline_path = os.fspath(baseline_path) if baseline_path else None
        self._baseline_loaded = None
        if self.baseline_path and os.path.exists(self.baseline_path):
            self._baseline_loaded = self.baseline_path
        self.auto_save_baseline = auto_save_baseline
        self.exectop = exectop
        self.config = os.fspath(config) if config else None
        self.runs = 0
        self._journal_tmp = journal is None
        self._journal_path = None if journal in (None, False) \
            else os.fspath(journal)
        self._journal = None
        self._journal_off = journal is False
        self._dumps = json.JSONEncoder(separators=(",", ":"),
                                       allow_nan=False).encode

    # -- recording -----------------------------------------------------

    def profile_executor(self, executor_id):
        """Context manager measuring one run of executor_id."""
        if not isinstance(executor_id, str) or not executor_id or \
                "\0" in executor_id or \
                len(executor_id.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES:
            raise ValueError("executor_id must be a string of 1 to %d bytes "
                             "without NUL: %r" % (MAX_ID_BYTES, executor_id))
        return _Run(self, executor_id)

    def _record(self, rec):
        try:
            line = (self._dumps(rec) + "\n").encode("utf-8", "replace")
        except ValueError:  # a NaN/inf from add_method_call: not JSON
            for m in rec["method_calls"]:
                for k in ("execution_time_ms", "memory_delta_mb"):
                    if m[k] != m[k] or m[k] in (float("inf"), float("-inf")):
                        m[k] = None
            line = (self._dumps(rec) + "\n").encode("utf-8", "replace")
        self.runs += 1
        if not self._journal_off:
            if self._journal is None:
                self._open_journal()
            self._journal.write(line)
        if self.sink is not None:
            self.sink.emit(line)

    def _open_journal(self):
        if self._journal_path is None:
            fd, self._journal_path = tempfile.mkstemp(prefix="exectop-",
                                                      suffix=".jsonl")
            self._journal = os.fdopen(fd, "ab")
        else:
            self._journal = open(self._journal_path, "ab")

    @property
    def sent(self):
        return self.sink.sent if self.sink is not None else 0

    @property
    def dropped(self):
        return self.sink.dropped if self.sink is not None else 0

    @property
    def too_long(self):
        return self.sink.too_long if self.sink is not None else 0

    def stats(self):
        """runs recorded, and the sink's sent / dropped / too_long."""
        d = {"runs": self.runs, "sent": self.sent, "dropped": self.dropped,
             "too_long": self.too_long}
        return d

    def journal_path(self):
        """The file holding this profiler's runs (flushed), or None."""
        if self._journal_off:
            return None
        if self._journal is None:
            self._open_journal()
        self._journal.flush()
        return self._journal_path

    def close(self):
        """Saves the baseline when auto_save_baseline, closes the sink,
        removes the temporary journal and stops tracemalloc if it started it."""
        if self.auto_save_baseline and self.runs > 0:
            self.save_baseline()
        self._memory.stop()
        if self.sink is not None:
            self.sink.close()
        if self._journal is not None:
            self._journal.close()
            self._journal = None
            if self._journal_tmp:
                try:
                    os.unlink(self._journal_path)
                except OSError:
                    pass
                self._journal_path = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # -- analysis, by the exectop binary ----------------------------------

    def generate_report(self, include_regressions=True,
                        include_bottlenecks=True):
        return analysis.generate_report(self, include_regressions,
                                        include_bottlenecks)

    def detect_regressions(self, thresholds=None):
        return analysis.generate_report(self, True, False,
                                        thresholds=thresholds).regressions

    def identify_bottlenecks(self, top_n=10):
        return analysis.generate_report(self, False, True,
                                        top_n=top_n).bottlenecks

    def export_report(self, report, path, format="json"):
        return analysis.export_report(self, report, path, format)

    def save_baseline(self, path=None):
        path = os.fspath(path) if path else self.baseline_path
        if path is None:
            path = "executor_baseline.yaml"
        analysis.save_baseline(self, path)
        return path

    def load_baseline(self, path):
        path = os.fspath(path)
        if not os.path.exists(path):
            raise FileNotFoundError("exectop: no baseline %s" % path)
        self._baseline_loaded = path
        self.baseline_path = path
        return path
