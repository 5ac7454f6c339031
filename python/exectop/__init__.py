"""exectop - the ExecutorProfiler API, feeding the exectop live monitor.

    from exectop import ExecutorProfiler
    profiler = ExecutorProfiler(memory_tracking=True, sink="/tmp/exectop.fifo")
    with profiler.profile_executor("D1-Q1") as ctx:
        ctx.set_result(executor.execute(context))
"""
from .analysis import (Bottleneck, ExectopError, PerformanceRegression,
                       PerformanceReport)
from .profiler import ExecutorProfiler, ProfilerContext, profiled
from .sinks import (PIPE_BUF, DirectorySink, FifoSink, FileSink, RedisSink, Sink,
                    open_sink)

__version__ = "0.1.0"
__all__ = ["ExecutorProfiler", "ProfilerContext", "profiled",
           "PerformanceReport", "PerformanceRegression", "Bottleneck",
           "ExectopError", "Sink", "FileSink", "FifoSink", "DirectorySink", "RedisSink",
           "open_sink", "PIPE_BUF"]
