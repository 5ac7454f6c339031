"""analysis.py - reports, regressions, bottlenecks and baselines from exectop.

Nothing here computes a statistic: the profiler's journal is handed to the
exectop binary (`exectop report --format json`, `exectop baseline`), the one
analysis the TUI and the CI gate use, and its JSON comes back as dataclasses
carrying the profiler's field names.
"""
import calendar
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional

METRICS = ("execution_time_ms", "memory_footprint_mb", "memory_peak_mb",
           "serialization_time_ms", "serialization_size_bytes")
FORMATS = ("json", "markdown", "html", "junit")


class ExectopError(RuntimeError):
    """The exectop binary is missing or failed (its stderr is the message)."""


class _Item:
    """Dataclasses that also read like the profiler's dicts: b["executor_id"]."""

    def __getitem__(self, k):
        try:
            return getattr(self, k)
        except AttributeError:
            raise KeyError(k) from None

    def get(self, k, default=None):
        return getattr(self, k, default)

    @classmethod
    def from_json(cls, d):
        names = {f.name for f in fields(cls)}
        obj = cls(**{k: v for k, v in d.items() if k in names})
        obj.extra = {k: v for k, v in d.items() if k not in names}
        return obj


@dataclass
class PerformanceRegression(_Item):
    executor_id: str
    metric_name: str
    baseline_value: Optional[float] = None
    current_value: Optional[float] = None
    delta_percent: Optional[float] = None
    severity: str = "warning"
    recommendation: str = ""
    p_value: Optional[float] = None
    samples: Optional[int] = None
    threshold: Optional[float] = None
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Bottleneck(_Item):
    executor_id: str
    bottleneck_score: Optional[float] = None
    avg_execution_time_ms: Optional[float] = None
    avg_memory_mb: Optional[float] = None
    avg_serialization_time_ms: Optional[float] = None
    runs: int = 0
    failures: int = 0
    slowest_method: Optional[str] = None
    memory_intensive_method: Optional[str] = None
    recommendation: str = ""
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class PerformanceReport(_Item):
    timestamp: str
    total_executors: int
    total_execution_time_ms: float
    total_memory_mb: float
    regressions: List[PerformanceRegression]
    bottlenecks: List[Bottleneck]
    executor_rankings: Dict[str, list]
    summary: Dict[str, Any]
    total_runs: int = 0
    invalid_records: Dict[str, int] = field(default_factory=dict)
    improvements: List[PerformanceRegression] = field(default_factory=list)
    pending: List[dict] = field(default_factory=list)
    new: List[dict] = field(default_factory=list)
    executors: List[dict] = field(default_factory=list)
    config: Dict[str, Any] = field(default_factory=dict)
    baseline: Optional[Dict[str, Any]] = None
    sources: Any = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)
    # how exectop was run, so export_report() renders the same runs
    _args: List[str] = field(default_factory=list, repr=False)
    _journal_bytes: int = field(default=0, repr=False)

    def to_dict(self):
        return self.raw


def find_exectop(path=None):
    cand = path or os.environ.get("EXECTOP_BIN") or shutil.which("exectop")
    if not cand or not os.access(cand, os.X_OK):
        raise ExectopError(
            "exectop: the exectop binary was not found (give "
            "ExecutorProfiler(exectop=PATH), set EXECTOP_BIN, or put it on "
            "PATH)" if not cand else "exectop: %s is not executable" % cand)
    return cand


def _run(cmd, stdin=None):
    try:
        p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    except OSError as e:
        raise ExectopError("exectop: cannot run %s: %s" % (cmd[0], e)) from e
    if p.returncode != 0:  # --fail-on never: 0 unless exectop failed
        raise ExectopError(p.stderr.decode("utf-8", "replace").strip() or
                           "exectop exited with %d" % p.returncode)
    return p.stdout


def _options(profiler, tmpdir, thresholds=None, top_n=None):
    """-c / -b options: the profiler's config, or a config written for the
    given thresholds (unlisted metrics keep exectop's defaults)."""
    args = []
    if thresholds is not None or top_n is not None:
        if profiler.config is not None:
            raise ValueError("thresholds/top_n and a config file: put them "
                             "in the config file (%s)" % profiler.config)
        lines = []
        if thresholds:
            lines.append("thresholds:")
            for k, v in thresholds.items():
                if k not in METRICS:
                    raise ValueError("unknown metric %r (one of %s)" %
                                     (k, ", ".join(METRICS)))
                lines.append("  %s: %s" % (k, "off" if v is None else
                                           repr(float(v))))
        if top_n is not None:
            lines += ["bottleneck:", "  top_n: %d" % int(top_n)]
        cfg = os.path.join(tmpdir, "config.yaml")
        with open(cfg, "w") as f:
            f.write("\n".join(lines) + "\n")
        args += ["-c", cfg]
    elif profiler.config is not None:
        args += ["-c", profiler.config]
    if profiler._baseline_loaded is not None:
        args += ["-b", profiler._baseline_loaded]
    return args


def _journal(profiler):
    path = profiler.journal_path()
    if path is None:
        raise ExectopError("exectop: this profiler keeps no journal "
                           "(journal=False), so it has nothing to report")
    return path


def generate_report(profiler, include_regressions=True,
                    include_bottlenecks=True, thresholds=None, top_n=None):
    exe = find_exectop(profiler.exectop)
    journal = _journal(profiler)
    size = os.path.getsize(journal)
    with tempfile.TemporaryDirectory(prefix="exectop-") as tmp:
        opts = _options(profiler, tmp, thresholds, top_n)
        out = _run([exe, "report", "--format", "json", "--fail-on", "never"] +
                   opts + [journal])
        # a generated config is gone after this block: keep its text
        if "-c" in opts and opts[opts.index("-c") + 1].startswith(tmp):
            with open(opts[opts.index("-c") + 1]) as f:
                cfg_text = f.read()
        else:
            cfg_text = None
    d = json.loads(out)
    rep = PerformanceReport(
        timestamp=d["timestamp"], total_executors=d["total_executors"],
        total_execution_time_ms=d["total_execution_time_ms"],
        total_memory_mb=d["total_memory_mb"],
        regressions=[PerformanceRegression.from_json(r)
                     for r in d["regressions"]] if include_regressions else [],
        bottlenecks=[Bottleneck.from_json(b) for b in d["bottlenecks"]]
        if include_bottlenecks else [],
        executor_rankings=d["executor_rankings"], summary=d["summary"],
        total_runs=d["total_runs"], invalid_records=d["invalid_records"],
        improvements=[PerformanceRegression.from_json(r)
                      for r in d["improvements"]],
        pending=d["pending"], new=d["new"], executors=d["executors"],
        config=d.get("config", {}), baseline=d.get("baseline"),
        sources=d.get("sources"), raw=d)
    rep._args = [a for a in opts if a != "-c" or cfg_text is None]
    rep._cfg_text = cfg_text
    rep._journal_bytes = size
    return rep


def export_report(profiler, report, path, format="json"):
    """Writes report as json, markdown, html or junit (atomically, by
    exectop -o) from the same runs and options, with the same timestamp."""
    if format == "md":
        format = "markdown"
    if format not in FORMATS:
        raise ValueError("format must be one of %s, not %r" %
                         (", ".join(FORMATS), format))
    path = os.fspath(path)
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    exe = find_exectop(profiler.exectop)
    journal = _journal(profiler)
    env = dict(os.environ)
    try:
        env["SOURCE_DATE_EPOCH"] = str(calendar.timegm(
            time.strptime(report.timestamp, "%Y-%m-%dT%H:%M:%SZ")))
    except (ValueError, TypeError):
        pass
    with tempfile.TemporaryDirectory(prefix="exectop-") as tmp:
        opts = list(report._args)
        cfg_text = getattr(report, "_cfg_text", None)
        if cfg_text is not None:
            cfg = os.path.join(tmp, "config.yaml")
            with open(cfg, "w") as f:
                f.write(cfg_text)
            opts = ["-c", cfg] + [a for a in opts if a != "-c"]
        # only the runs the report saw: the journal's first bytes, on stdin
        with open(journal, "rb") as src:
            snap = os.path.join(tmp, "runs.jsonl")
            with open(snap, "wb") as dst:
                dst.write(src.read(report._journal_bytes))
        cmd = [exe, "report", "--format", format, "--fail-on", "never",
               "-o", path] + opts + [snap]
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
        except OSError as e:
            raise ExectopError("exectop: cannot run %s: %s" % (exe, e)) from e
        if p.returncode not in (0, 1):
            raise ExectopError(p.stderr.decode("utf-8", "replace").strip())
    return path


def save_baseline(profiler, path):
    exe = find_exectop(profiler.exectop)
    journal = _journal(profiler)
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    cmd = [exe, "baseline", "-o", path]
    if profiler.config is not None:
        cmd += ["-c", profiler.config]
    p = subprocess.run(cmd + [journal], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise ExectopError(p.stderr.decode("utf-8", "replace").strip() or
                           "exectop baseline exited with %d" % p.returncode)
