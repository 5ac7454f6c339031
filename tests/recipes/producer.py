#!/usr/bin/env python3
"""producer.py - feed exectop from a Python pipeline without ever blocking it.

Each finished executor run (the profiler's ExecutorMetrics dataclass)
becomes one JSON line, json.dumps(asdict(m)), written with a single
os.write() to the FIFO exectop reads.  The FIFO is opened with O_NONBLOCK:

  * no monitor reading (ENXIO on open), a full pipe (EAGAIN), or a monitor
    that went away (EPIPE): the record is dropped and counted, and the
    pipeline goes on at full speed;
  * a line of at most PIPE_BUF (4096) bytes is written whole or not at
    all, so several producers may share one FIFO without mixing lines;
    a longer line is dropped (counted in `too_long`) rather than torn.

Use it from the pipeline:

    sink = ExectopSink("/tmp/exectop.fifo")
    ...
    sink.emit(metrics)          # never blocks, never raises on a slow monitor

Run as a script it emits N synthetic records and prints its counters:

    python3 producer.py FIFO N [EXECUTORS]
"""
import errno
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from typing import List, Optional

PIPE_BUF = 4096  # select.PIPE_BUF on Linux


@dataclass
class MethodCall:
    class_name: str
    method_name: str
    execution_time_ms: float
    memory_delta_mb: float = 0.0
    call_count: int = 1
    success: bool = True
    error: Optional[str] = None


@dataclass
class ExecutorMetrics:
    executor_id: str
    execution_time_ms: float
    memory_footprint_mb: float
    memory_peak_mb: float
    serialization_time_ms: float
    serialization_size_bytes: int
    success: bool = True
    error: Optional[str] = None
    timestamp: Optional[str] = None
    method_calls: List[MethodCall] = field(default_factory=list)


class ExectopSink:
    """Writes records to exectop's FIFO; drops (and counts) instead of blocking."""

    def __init__(self, path):
        self.path = path
        self.fd = None
        self.sent = 0
        self.dropped = 0   # no reader, pipe full, reader gone
        self.too_long = 0  # over PIPE_BUF: would not be atomic

    def _open(self):
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as e:
            if e.errno in (errno.ENXIO, errno.ENOENT):  # no reader / no FIFO yet
                return False
            raise
        return True

    def emit(self, m):
        line = (json.dumps(asdict(m), separators=(",", ":")) + "\n").encode()
        if len(line) > PIPE_BUF:
            self.too_long += 1
            return False
        if self.fd is None and not self._open():
            self.dropped += 1
            return False
        try:
            os.write(self.fd, line)  # <= PIPE_BUF: all or nothing
        except OSError as e:
            if e.errno == errno.EAGAIN:  # the monitor is behind: drop
                self.dropped += 1
                return False
            if e.errno == errno.EPIPE:  # the monitor left: reopen next time
                self.close()
                self.dropped += 1
                return False
            raise
        self.sent += 1
        return True

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def main(argv):
    if len(argv) < 3:
        print("usage: producer.py FIFO N [EXECUTORS]", file=sys.stderr)
        return 2
    n = int(argv[2])
    nexec = int(argv[3]) if len(argv) > 3 else 5
    sink = ExectopSink(argv[1])
    for i in range(n):
        k = i % nexec
        m = ExecutorMetrics(
            executor_id="py-%d" % k,
            execution_time_ms=100.0 + 10 * k + (i % 7),
            memory_footprint_mb=5.0 + k,
            memory_peak_mb=200.0 + k,
            serialization_time_ms=3.0 + (i % 3),
            serialization_size_bytes=1000 + i,
            timestamp="2026-11-27T10:00:00Z",
            method_calls=[MethodCall("Loader", "load", 40.0 + k)],
        )
        sink.emit(m)
    sink.close()
    print("sent=%d dropped=%d too_long=%d" % (sink.sent, sink.dropped, sink.too_long))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
