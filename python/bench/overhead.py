"""overhead.py - what the profiler costs the pipeline it watches.

Microseconds per profiled run of a no-op executor (best of 5 rounds of
20,000 runs; no method calls, set_result(None)), memory tracking off, on
(tracemalloc) and "rss", through each sink: none (journal only), a log file,
a FIFO with exectop reading it, a FIFO nobody reads (the drop path), a
directory.  Then a pipeline of 4 processes x 1,000 runs/s for 3 s through a
directory sink: the CPU time the profiling took, as a share of one core.
Prints a Markdown table.  Not a test: nothing is asserted.

    python3 python/bench/overhead.py [EXECTOP_BIN]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from exectop import ExecutorProfiler  # noqa: E402

N = int(os.environ.get("BENCH_RUNS", "20000"))
ROUNDS = 5


def per_run_us(memory, sink):
    p = ExecutorProfiler(memory_tracking=memory, sink=sink)
    best = None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(N):
            with p.profile_executor("noop") as ctx:
                ctx.set_result(None)
        dt = (time.perf_counter() - t0) / N * 1e6
        best = dt if best is None else min(best, dt)
    p.close()
    if sink is not None and p.dropped:
        sys.stderr.write("overhead.py: %s: %d of %d dropped\n" %
                         (sink, p.dropped, p.runs))
    return best


def write_us(path):
    """One os.write of a 400-byte line: the syscall floor of a sink."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    line = b"x" * 399 + b"\n"
    best = None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(N):
            os.write(fd, line)
        dt = (time.perf_counter() - t0) / N * 1e6
        best = dt if best is None else min(best, dt)
    os.close(fd)
    return best


def bare_us():
    best = None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(N):
            pass
        dt = (time.perf_counter() - t0) / N * 1e6
        best = dt if best is None else min(best, dt)
    return best


CHILD = r"""
import os, sys, time, resource
sys.path.insert(0, sys.argv[1])
from exectop import ExecutorProfiler
p = ExecutorProfiler(memory_tracking=sys.argv[3] == "1", sink=sys.argv[2])
rate, secs = 1000, 3.0
t0 = time.monotonic(); cpu = 0.0; n = 0
while n < rate * secs:
    c0 = time.process_time()
    with p.profile_executor("P%d" % os.getpid()) as ctx:
        ctx.add_method_call("Stage", "run", 0.1, 0.0)
        ctx.set_result(n)
    cpu += time.process_time() - c0
    n += 1
    sleep = t0 + n / rate - time.monotonic()
    if sleep > 0:
        time.sleep(sleep)
p.close()
print(cpu, n, p.sent)
"""


def pipeline(tmp, memory):
    d = os.path.join(tmp, "pipe-%d" % memory) + "/"
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, pkg, d,
                               "1" if memory else "0"],
                              stdout=subprocess.PIPE) for _ in range(4)]
    cpu = runs = sent = 0
    for p in procs:
        c, n, s = p.communicate()[0].split()
        cpu, runs, sent = cpu + float(c), runs + int(n), sent + int(s)
    return cpu, runs, sent


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else shutil.which("exectop")
    tmp = tempfile.mkdtemp(prefix="exectop-bench-")
    try:
        fifo = os.path.join(tmp, "f.fifo")
        os.mkfifo(fifo)
        reader = None
        if exe:
            reader = subprocess.Popen([exe, "report", "--fail-on", "never",
                                       fifo], stdout=subprocess.DEVNULL)
        base = bare_us()
        rows = []
        sinks = [("none (journal only)", None),
                 ("log file", os.path.join(tmp, "log.jsonl")),
                 ("FIFO, exectop reading", fifo if reader else None),
                 ("directory", os.path.join(tmp, "dir") + "/")]
        hold = -1
        for name, sink in sinks:
            if sink is None and name != "none (journal only)":
                continue
            if name.startswith("FIFO"):
                # exectop must have opened the FIFO before we measure; the
                # descriptor stays open so exectop does not see an EOF
                while hold == -1:
                    try:
                        hold = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                    except OSError:
                        time.sleep(0.01)
            rows.append((name, [per_run_us(m, sink) - base
                                for m in (False, True, "rss")]))
        if hold != -1:
            os.close(hold)
        nofifo = os.path.join(tmp, "nobody.fifo")
        os.mkfifo(nofifo)
        rows.append(("FIFO, nobody reading (dropped)",
                     [per_run_us(m, nofifo) - base for m in (False, True, "rss")]))
        if reader:
            reader.kill()
            reader.wait()
        print("# Python profiler overhead (python/bench/overhead.py)\n")
        print("Python %s, %d runs x best of %d; µs per profiled no-op run "
              "(the bare loop subtracted).  The machine may be loaded: "
              "compare rows of one run, not runs.\n" %
              (sys.version.split()[0], N, ROUNDS))
        print("A bare `os.write()` of a 400-byte line to a file takes %.2f µs "
              "here: the floor of every sink (one write per record).\n" %
              write_us(os.path.join(tmp, "w.bin")))
        print("| sink | memory off | tracemalloc | rss |")
        print("| --- | ---: | ---: | ---: |")
        for name, v in rows:
            print("| %s | %.2f | %.2f | %.2f |" % ((name,) + tuple(v)))
        print("\nPipeline: 4 processes x 1,000 runs/s x 3 s, directory sink, "
              "one method call per run:\n")
        print("| memory | runs | sent | profiling CPU (s) | µs per run | "
              "share of one core |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for m in (False, True):
            cpu, runs, sent = pipeline(tmp, m)
            print("| %s | %d | %d | %.3f | %.2f | %.1f%% |" % (
                "tracemalloc" if m else "off", runs, sent, cpu,
                cpu / runs * 1e6, cpu / 3.0 * 100))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
