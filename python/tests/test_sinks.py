"""test_sinks.py - every sink against a real exectop reading it: a log file,
a FIFO (with exectop reading, with no reader, full, reader killed, records
over PIPE_BUF), and a directory written by 4 processes; counts exact."""
import errno
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import time
import unittest

from support import EXECTOP, HERE, TempDirCase, executor, read_records, \
    report

from exectop import PIPE_BUF, DirectorySink, ExecutorProfiler, FifoSink, \
    FileSink, RedisSink, open_sink
from exectop.sinks import parse_redis_url


def run(p, executor_id, methods=1, i=0):
    with p.profile_executor(executor_id) as ctx:
        for k in range(methods):
            ctx.add_method_call("Class%d" % k, "method_%d" % k, 1.0 + k, 0.1)
        ctx.set_result(i)


def wait_reader(fifo, proc, timeout=30):
    """Opens fifo for writing once exectop has it open for reading."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as e:
            if e.errno != errno.ENXIO or proc.poll() is not None or \
                    time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class TestOpenSink(TempDirCase):
    def test_choice_by_path_or_url(self):
        fifo = self.path("f")
        os.mkfifo(fifo)
        self.assertIsInstance(open_sink(fifo), FifoSink)
        self.assertIsInstance(open_sink(self.dir), DirectorySink)
        self.assertIsInstance(open_sink(self.path("new/")), DirectorySink)
        self.assertIsInstance(open_sink(self.path("log.jsonl")), FileSink)
        self.assertIsInstance(open_sink("fifo:" + self.path("later")), FifoSink)
        self.assertIsInstance(open_sink("dir:" + self.path("d")), DirectorySink)
        self.assertIsInstance(open_sink("file:" + fifo), FileSink)
        self.assertIsInstance(open_sink("redis://localhost/exectop"),
                              RedisSink)
        with self.assertRaises(ValueError):
            open_sink("rediss://localhost/exectop")


class TestFileSink(TempDirCase):
    def test_appends_and_exectop_counts_every_run(self):
        log = self.path("runs.jsonl")
        with open(log, "w") as f:
            f.write('{"executor_id":"before","execution_time_ms":1}\n')
        with ExecutorProfiler(memory_tracking=True, sink=log) as p:
            for i in range(500):
                run(p, "E%d" % (i % 5), methods=100 if i == 7 else 2, i=i)
            self.assertEqual((p.sent, p.dropped), (500, 0))
        rep = report(log)
        self.assertEqual(rep["total_runs"], 501)
        self.assertEqual(rep["invalid_records"]["total"], 0)
        self.assertEqual(rep["total_executors"], 6)
        self.assertGreater(os.path.getsize(log), 500 * 200)

    def test_a_write_error_is_dropped_not_raised(self):
        p = ExecutorProfiler(sink=self.path("missing-dir/runs.jsonl"))
        run(p, "x")
        self.assertEqual((p.sent, p.dropped), (0, 1))
        self.assertEqual(p.sink.last_error, "ENOENT")
        p.close()


class TestFifoSink(TempDirCase):
    def setUp(self):
        super().setUp()
        self.fifo = self.path("exectop.fifo")
        os.mkfifo(self.fifo)

    def start_exectop(self):
        out = open(self.path("report.json"), "wb")
        err = open(self.path("stderr"), "wb")
        proc = subprocess.Popen([EXECTOP, "report", "--format", "json",
                                 "--fail-on", "never", self.fifo], stdout=out,
                                stderr=err)
        out.close()
        err.close()
        return proc, wait_reader(self.fifo, proc)

    def finish(self, proc, hold):
        os.close(hold)
        proc.wait(timeout=60)
        with open(self.path("stderr")) as f:
            self.assertEqual(proc.returncode, 0, f.read())
        with open(self.path("report.json")) as f:
            return json.load(f)

    def test_exectop_reading_counts_exactly_the_sent_records(self):
        proc, hold = self.start_exectop()
        p = ExecutorProfiler(sink=self.fifo)
        n = 3000
        for i in range(n):
            run(p, "F%d" % (i % 3), methods=3, i=i)
            if i % 500 == 0:
                time.sleep(0.01)  # let exectop drain now and then
        p.close()
        rep = self.finish(proc, hold)
        self.assertEqual(p.sent + p.dropped, n)
        self.assertGreater(p.sent, 0)
        self.assertEqual(rep["total_runs"], p.sent)
        self.assertEqual(rep["invalid_records"]["total"], 0)
        sys.stderr.write("\nfifo: %d runs, sent %d, dropped %d\n" %
                         (n, p.sent, p.dropped))

    def test_no_reader_drops_and_never_blocks(self):
        p = ExecutorProfiler(sink=self.fifo)
        for i in range(200):
            run(p, "x", i=i)
        self.assertEqual((p.sent, p.dropped, p.runs), (0, 200, 200))
        self.assertEqual(p.sink.last_error, "ENXIO")
        os.unlink(self.fifo)
        time.sleep(FifoSink.REOPEN_S * 1.5)  # the next open is tried then
        run(p, "x")
        self.assertEqual(p.sink.last_error, "ENOENT")
        self.assertEqual(p.dropped, 201)
        p.close()

    def test_a_full_pipe_drops_whole_records(self):
        rd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)  # never reads
        p = ExecutorProfiler(sink=self.fifo)
        for i in range(2000):
            run(p, "full", methods=2, i=i)
        self.assertEqual(p.sent + p.dropped, 2000)
        self.assertGreater(p.dropped, 0)
        self.assertEqual(p.sink.last_error, "EAGAIN")
        data = b""
        while True:
            try:
                chunk = os.read(rd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            data += chunk
        os.close(rd)
        lines = data.split(b"\n")
        self.assertEqual(lines[-1], b"")  # ends on a whole line
        self.assertEqual(len(lines) - 1, p.sent)
        for line in lines[:-1]:
            self.assertEqual(json.loads(line)["executor_id"], "full")
        p.close()

    def test_a_reader_gone_is_dropped_then_reopened(self):
        proc, hold = self.start_exectop()
        p = ExecutorProfiler(sink=self.fifo)
        for i in range(10):
            run(p, "gone", i=i)
        self.assertEqual(p.sent, 10)
        os.close(hold)
        proc.kill()
        proc.wait()
        for i in range(10):
            run(p, "gone", i=i)  # EPIPE, then ENXIO: no exception
        self.assertEqual((p.sent, p.dropped), (10, 10))
        self.assertIn(p.sink.last_error, ("EPIPE", "ENXIO"))
        proc, hold = self.start_exectop()  # a new monitor: sends again
        time.sleep(FifoSink.REOPEN_S * 1.5)
        for i in range(7):
            run(p, "back", i=i)
        p.close()
        rep = self.finish(proc, hold)
        self.assertEqual((p.sent, p.dropped), (17, 10))
        self.assertEqual(rep["total_runs"], 7)

    def test_records_over_pipe_buf_are_dropped_never_torn(self):
        proc, hold = self.start_exectop()
        p = ExecutorProfiler(sink=self.fifo)
        run(p, "small", methods=2)
        run(p, "huge", methods=100)  # about 14 KB
        run(p, "small", methods=2)
        p.close()
        rep = self.finish(proc, hold)
        self.assertEqual((p.sent, p.dropped, p.too_long), (2, 1, 1))
        self.assertEqual(p.sink.last_error, "EMSGSIZE")
        self.assertEqual(rep["total_runs"], 2)
        self.assertEqual(rep["invalid_records"]["total"], 0)
        self.assertEqual([e["executor_id"] for e in rep["executors"]], ["small"])
        self.assertEqual(PIPE_BUF, 4096)


CHILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
from exectop import ExecutorProfiler
p = ExecutorProfiler(memory_tracking=True, sink=sys.argv[2], journal=False)
for i in range(int(sys.argv[3])):
    with p.profile_executor("P%s-%d" % (sys.argv[4], i % 4)) as ctx:
        for k in range(100):
            ctx.add_method_call("Stage%d" % (k % 10), "step_%d" % k, 0.5, 0.01)
        ctx.set_result(list(range(i % 50)))
print(p.sent, p.dropped, p.sink.file)
"""


class TestDirectorySink(TempDirCase):
    def test_four_processes_records_of_100_methods_counted_once(self):
        d = self.path("runs.d")
        n = 300
        procs = [subprocess.Popen([sys.executable, "-c", CHILD,
                                   os.path.dirname(HERE), d + "/", str(n),
                                   str(k)],
                                  stdout=subprocess.PIPE)
                 for k in range(4)]
        outs = []
        for pr in procs:
            out, _ = pr.communicate(timeout=120)
            self.assertEqual(pr.returncode, 0)
            outs.append(out.decode().split())
        files = sorted(glob.glob(os.path.join(d, "*.jsonl")))
        self.assertEqual(files, sorted(o[2] for o in outs))
        host = socket.gethostname()
        for pr, o in zip(procs, outs):
            self.assertEqual(o[:2], [str(n), "0"])
            self.assertEqual(os.path.basename(o[2]), "%s-%d.jsonl" % (host, pr.pid))
        self.assertGreater(os.path.getsize(files[0]) / n, PIPE_BUF)
        rep = report(*files)
        self.assertEqual(rep["total_runs"], 4 * n)
        self.assertEqual(rep["invalid_records"]["total"], 0)
        self.assertEqual(rep["total_executors"], 16)
        for e in rep["executors"]:
            self.assertEqual(e["runs"], n // 4)

    def test_a_forked_child_gets_its_own_file(self):
        d = self.path("fork.d")
        p = ExecutorProfiler(sink="dir:" + d, journal=False)
        run(p, "parent")
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                run(p, "child")
                code = 0 if p.sink.file.endswith("-%d.jsonl" % os.getpid()) else 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        run(p, "parent")
        p.close()
        files = sorted(glob.glob(os.path.join(d, "*.jsonl")))
        self.assertEqual(len(files), 2)
        mine = [f for f in files if f.endswith("-%d.jsonl" % os.getpid())][0]
        self.assertEqual([r["executor_id"] for r in read_records(mine)],
                         ["parent", "parent"])
        self.assertEqual(report(*files)["total_runs"], 3)


if __name__ == "__main__":
    unittest.main()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class TestRedisSink(TempDirCase):
    """Against a private redis-server (no persistence) read by exectop."""

    def setUp(self):
        super().setUp()
        try:
            import redis  # noqa: F401
        except ImportError:
            self.fail("the redis module is needed (python3-redis)")
        self.port = free_port()
        self.server = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        self.url = "redis://127.0.0.1:%d/runs" % self.port

    def tearDown(self):
        self.server.kill()
        self.server.wait()
        super().tearDown()

    def test_url_grammar(self):
        self.assertEqual(parse_redis_url("redis://u:p%40ss@h:7/3/a/b"),
                         ("h", 7, 3, "u", "p@ss", "a/b"))
        self.assertEqual(parse_redis_url("redis://h/s?from-start"),
                         ("h", 6379, 0, None, None, "s"))
        with self.assertRaises(ValueError):
            parse_redis_url("redis://h")

    def test_four_processes_counted_once_with_host(self):
        pids = []
        for k in range(4):
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    p = ExecutorProfiler(memory_tracking=False, sink=self.url)
                    for i in range(250):
                        run(p, "R%d" % k, methods=30, i=i)
                    st = p.stats()
                    code = 0 if st["sent"] == 250 and st["dropped"] == 0 \
                        else 1
                finally:
                    os._exit(code)
            pids.append(pid)
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        rep = report(self.url)
        self.assertEqual(rep["total_runs"], 1000)
        self.assertEqual(rep["invalid_records"]["total"], 0)
        for k in range(4):
            self.assertEqual(executor(rep, "R%d" % k)["runs"], 250)
        import redis
        entry = redis.Redis(port=self.port).xrange("runs", count=1)[0]
        rec = json.loads(entry[1][b"record"])
        self.assertEqual(rec["host"], socket.gethostname())

    def test_no_server_drops_within_the_timeout(self):
        self.server.kill()
        self.server.wait()
        p = ExecutorProfiler(memory_tracking=False, sink=self.url)
        p.sink.REOPEN_S = 3600
        for i in range(50):
            run(p, "X", i=i)
        st = p.stats()
        self.assertEqual(st["sent"], 0)
        self.assertEqual(st["dropped"], 50)
        # One failed connect, then no try until REOPEN_S has passed.
        self.assertEqual(p.sink.attempts, 1)
        self.assertIn("ConnectionError", p.sink.last_error)

    def test_silent_server_times_out_and_drops(self):
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)  # accepts (the kernel does), never answers
        try:
            url = "redis://127.0.0.1:%d/runs" % srv.getsockname()[1]
            p = ExecutorProfiler(memory_tracking=False, sink=url)
            p.sink.REOPEN_S = 3600
            for i in range(20):
                run(p, "X", i=i)
            self.assertEqual(p.stats()["dropped"], 20)
            self.assertEqual(p.sink.attempts, 1)
            self.assertIn("Timeout", p.sink.last_error)
        finally:
            srv.close()
