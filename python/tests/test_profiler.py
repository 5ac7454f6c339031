"""test_profiler.py - the ExecutorProfiler API on real executors (allocating,
failing, returning unpicklable results), each record read back by exectop."""
import json
import os
import threading
import time
import unittest

from support import TempDirCase, executor, read_records, report

import exectop
from exectop import ExecutorProfiler, ExectopError, profiled

MIB = 1024 * 1024


class Allocator:
    """Keeps `keep` MiB after the run, allocates `temp` MiB during it."""

    def __init__(self, keep, temp):
        self.keep, self.temp, self.kept = keep, temp, []

    def execute(self, context):
        scratch = bytearray(self.temp * MIB)
        if scratch:
            scratch[-1] = 1
        del scratch
        self.kept.append(bytearray(self.keep * MIB))
        return {"context": context, "n": len(self.kept)}


class Failing:
    def execute(self, context):
        raise ValueError("boom on %s" % context)


class TestRecords(TempDirCase):
    def test_memory_footprint_and_peak_with_tracemalloc(self):
        log = self.path("runs.jsonl")
        p = ExecutorProfiler(memory_tracking=True, sink=log)
        ex = Allocator(keep=4, temp=16)
        with p.profile_executor("alloc") as ctx:
            ctx.set_result(ex.execute("doc"))
        rec = read_records(log)[0]
        self.assertGreaterEqual(rec["memory_footprint_mb"], 4.0)
        self.assertLess(rec["memory_footprint_mb"], 6.0)
        self.assertGreaterEqual(rec["memory_peak_mb"], 16.0)
        self.assertTrue(rec["success"])
        self.assertIsNone(rec["error"])
        self.assertGreater(rec["serialization_size_bytes"], 0)
        self.assertGreaterEqual(rec["serialization_time_ms"], 0.0)
        rep = report(log)
        self.assertEqual(rep["total_runs"], 1)
        self.assertEqual(rep["invalid_records"]["total"], 0)
        e = executor(rep, "alloc")
        self.assertAlmostEqual(e["metrics"]["memory_peak_mb"]["mean"],
                               rec["memory_peak_mb"], places=6)
        p.close()

    def test_without_memory_tracking_memory_is_not_measured(self):
        log = self.path("runs.jsonl")
        with ExecutorProfiler(sink=log) as p:
            with p.profile_executor("x"):
                time.sleep(0.002)
        rec = read_records(log)[0]
        self.assertIsNone(rec["memory_footprint_mb"])
        self.assertIsNone(rec["memory_peak_mb"])
        self.assertGreaterEqual(rec["execution_time_ms"], 2.0)
        self.assertEqual(report(log)["invalid_records"]["total"], 0)

    def test_rss_mode_measures_the_process(self):
        log = self.path("runs.jsonl")
        with ExecutorProfiler(memory_tracking="rss", sink=log) as p:
            ex = Allocator(keep=32, temp=0)
            with p.profile_executor("rss") as ctx:
                r = ex.execute("x")
                for b in ex.kept:  # touch the pages
                    b[::4096] = b"\1" * len(b[::4096])
                ctx.set_result(r)
        rec = read_records(log)[0]
        self.assertGreater(rec["memory_footprint_mb"], 16.0)
        self.assertGreaterEqual(rec["memory_peak_mb"],
                                rec["memory_footprint_mb"])

    def test_a_failing_executor_is_recorded_and_reraised(self):
        log = self.path("runs.jsonl")
        p = ExecutorProfiler(memory_tracking=True, sink=log)
        with p.profile_executor("ok"):
            pass
        with self.assertRaises(ValueError) as cm:
            with p.profile_executor("bad") as ctx:
                with ctx.method("Parser", "parse"):
                    Failing().execute("doc-7")
        self.assertEqual(str(cm.exception), "boom on doc-7")
        recs = read_records(log)
        self.assertEqual([r["success"] for r in recs], [True, False])
        self.assertEqual(recs[1]["error"], "ValueError: boom on doc-7")
        m = recs[1]["method_calls"][0]
        self.assertEqual((m["method_name"], m["success"], m["error"]),
                         ("parse", False, "ValueError: boom on doc-7"))
        rep = report(log)
        self.assertEqual(rep["summary"]["total_failures"], 1)
        self.assertEqual(executor(rep, "bad")["last_error"],
                         "ValueError: boom on doc-7")
        self.assertEqual(p.stats(), {"runs": 2, "sent": 2, "dropped": 0,
                                     "too_long": 0})
        p.close()

    def test_an_unpicklable_result(self):
        log = self.path("runs.jsonl")
        with ExecutorProfiler(sink=log) as p:
            with p.profile_executor("lock") as ctx:
                ctx.set_result({"lock": threading.Lock()})
            with p.profile_executor("lambda") as ctx:
                ctx.set_result(lambda: 1)
        recs = read_records(log)
        for r in recs:
            self.assertTrue(r["success"])
            self.assertIsNone(r["serialization_time_ms"])
            self.assertIsNone(r["serialization_size_bytes"])
        self.assertIn("lock", recs[0]["serialization_error"])
        self.assertIn("lambda", recs[1]["serialization_error"])
        rep = report(log)
        self.assertEqual((rep["total_runs"], rep["invalid_records"]["total"]),
                         (2, 0))

    def test_methods_aggregate_into_call_count(self):
        log = self.path("runs.jsonl")

        @profiled("TextMiner")
        def extract(doc):
            return doc.upper()

        p = ExecutorProfiler(memory_tracking=True, sink=log)
        self.assertEqual(extract("outside"), "OUTSIDE")  # no run: unmeasured
        with p.profile_executor("D1-Q1") as ctx:
            for i in range(7):
                extract("doc %d" % i)
            for i in range(3):
                with ctx.method("Analyzer", "analyze"):
                    time.sleep(0.001)
            ctx.add_method_call("TextMiner", "extract", 45.2, 2.1)
            ctx.add_method_call("Loader", "load", 10.0, 0.5)
        p.close()
        calls = {(m["class_name"], m["method_name"]): m
                 for m in read_records(log)[0]["method_calls"]}
        self.assertEqual(set(calls), {("TextMiner", "extract"),
                                      ("Analyzer", "analyze"),
                                      ("Loader", "load")})
        self.assertEqual(calls[("TextMiner", "extract")]["call_count"], 8)
        self.assertGreaterEqual(
            calls[("TextMiner", "extract")]["execution_time_ms"], 45.2)
        self.assertEqual(calls[("Analyzer", "analyze")]["call_count"], 3)
        self.assertGreaterEqual(
            calls[("Analyzer", "analyze")]["execution_time_ms"], 3.0)
        self.assertEqual(report(log)["invalid_records"]["total"], 0)

    def test_bad_executor_ids_are_refused_before_the_run(self):
        p = ExecutorProfiler(sink=self.path("x.jsonl"))
        ran = []
        for bad in ("", "a\0b", "x" * 257, 42):
            with self.assertRaises(ValueError):
                with p.profile_executor(bad):
                    ran.append(bad)
        self.assertEqual(ran, [])
        self.assertEqual(p.runs, 0)
        # hostile but valid text goes through, JSON-escaped
        with p.profile_executor('q"\\\n\x1b[31m\u202e'):
            pass
        rep = report(self.path("x.jsonl"))
        self.assertEqual(rep["executors"][0]["executor_id"], 'q"\\\n\x1b[31m\u202e')
        p.close()


class TestAnalysis(TempDirCase):
    def run_profiler(self, p, sleep_s, n=10, ids=("fast",)):
        for i in range(n):
            for ex in ids:
                with p.profile_executor(ex) as ctx:
                    time.sleep(sleep_s)
                    ctx.add_method_call("Worker", "step", sleep_s * 1000, 0.0)
                    ctx.set_result([i] * 100)

    def test_baseline_then_regressions(self):
        base = self.path("baselines/executor_baseline.yaml")
        a = ExecutorProfiler(memory_tracking=True)
        self.run_profiler(a, 0.002)
        self.assertEqual(a.save_baseline(base), base)
        a.close()
        with open(base) as f:
            self.assertIn('"fast":', f.read())
        # The profiler's JSON baseline (one run, no variance: no t-test, so
        # a loaded machine cannot blur the verdict).
        pbase = self.path("baselines/profiler.json")
        with open(pbase, "w") as f:
            json.dump({"fast": {"executor_id": "fast", "execution_time_ms": 2.0,
                                "memory_footprint_mb": 0.0,
                                "memory_peak_mb": 1.0,
                                "serialization_time_ms": 0.01,
                                "serialization_size_bytes": 300}}, f)
        b = ExecutorProfiler(memory_tracking=True)
        b.load_baseline(base)
        self.run_profiler(b, 0.030)
        self.assertEqual(b.generate_report().baseline["path"], base)
        b.load_baseline(pbase)
        regs = b.detect_regressions(thresholds={"execution_time_ms": 20.0})
        self.assertEqual([(r.executor_id, r.metric_name, r.severity)
                          for r in regs if r.metric_name == "execution_time_ms"],
                         [("fast", "execution_time_ms", "critical")])
        r = [x for x in regs if x.metric_name == "execution_time_ms"][0]
        self.assertEqual(r.baseline_value, 2.0)
        self.assertGreater(r.current_value, 30.0)
        self.assertGreater(r.delta_percent, 100.0)
        self.assertTrue(r.recommendation)
        self.assertEqual(r["threshold"], 20.0)
        off = b.detect_regressions(thresholds={"execution_time_ms": None})
        self.assertEqual([x for x in off if x.metric_name == "execution_time_ms"], [])
        with self.assertRaises(ValueError):
            b.detect_regressions(thresholds={"bogus": 1.0})
        rep = b.generate_report()
        self.assertEqual(rep.baseline["path"], pbase)
        self.assertEqual(rep.summary["critical"], len(
            [x for x in rep.regressions if x.severity == "critical"]))
        b.close()

    def test_bottlenecks_and_rankings(self):
        p = ExecutorProfiler()
        self.run_profiler(p, 0.001, n=3, ids=("small", "big", "mid"))
        for _ in range(3):
            with p.profile_executor("big"):
                time.sleep(0.03)
        top = p.identify_bottlenecks(top_n=2)
        self.assertEqual(len(top), 2)
        self.assertEqual(top[0]["executor_id"], "big")
        self.assertEqual(top[0].runs, 6)
        self.assertGreaterEqual(top[0].bottleneck_score, top[1].bottleneck_score)
        self.assertEqual(top[0]["slowest_method"], "Worker.step")
        rep = p.generate_report()
        self.assertEqual(rep.total_executors, 3)
        self.assertEqual(rep.total_runs, 12)
        self.assertEqual(rep.executor_rankings["slowest"][0]["executor_id"], "big")
        self.assertEqual(p.generate_report(include_bottlenecks=False).bottlenecks, [])
        p.close()

    def test_export_every_format_from_the_same_runs(self):
        p = ExecutorProfiler(memory_tracking=True)
        self.run_profiler(p, 0.0, n=4, ids=("<b>D1</b>",))
        rep = p.generate_report()
        self.run_profiler(p, 0.0, n=5, ids=("later",))  # not in `rep`
        out = {}
        for fmt, name in (("json", "r.json"), ("markdown", "r.md"),
                          ("html", "r.html"), ("junit", "r.xml")):
            path = self.path("reports/" + name)
            self.assertEqual(p.export_report(rep, path, format=fmt), path)
            with open(path, encoding="utf-8") as f:
                out[fmt] = f.read()
        j = json.loads(out["json"])
        for k in ("timestamp", "total_runs", "total_executors", "executors",
                  "bottlenecks", "summary"):
            self.assertEqual(j[k], rep.raw[k], k)
        self.assertNotIn("later", out["markdown"])
        self.assertIn("&lt;b&gt;D1&lt;/b&gt;", out["html"])
        self.assertNotIn("<b>D1</b>", out["html"])
        with self.assertRaises(ValueError):
            p.export_report(rep, self.path("r.pdf"), format="pdf")
        p.close()

    def test_missing_binary_is_a_clear_error(self):
        p = ExecutorProfiler(exectop=self.path("no-such-exectop"))
        with p.profile_executor("x"):
            pass
        with self.assertRaises(ExectopError) as cm:
            p.generate_report()
        self.assertIn("no-such-exectop", str(cm.exception))
        p.close()

    def test_the_seed_usage_example_runs_unchanged(self):
        class Exec:
            def execute(self, context):
                return {"text": context * 100}

        executor_, context = Exec(), "abc"
        os.chdir(self.dir)
        fifo = self.path("exectop.fifo")
        os.mkfifo(fifo)
        # --- the seed's example; only the import and paths differ
        profiler = ExecutorProfiler(memory_tracking=True, sink=fifo)
        with profiler.profile_executor("D1-Q1") as ctx:
            result = executor_.execute(context)
            ctx.add_method_call("TextMiner", "extract", 45.2, 2.1)
            ctx.set_result(result)
        report_ = profiler.generate_report()
        regressions = profiler.detect_regressions(thresholds={"execution_time_ms": 20.0})
        bottlenecks = profiler.identify_bottlenecks(top_n=10)
        profiler.export_report(report_, "reports/perf.html", format="html")
        profiler.save_baseline(); profiler.load_baseline("executor_baseline.yaml")
        # ---
        self.assertEqual(report_.total_executors, 1)
        self.assertEqual(regressions, [])
        self.assertEqual(bottlenecks[0]["executor_id"], "D1-Q1")
        self.assertTrue(os.path.exists("reports/perf.html"))
        self.assertEqual(profiler.stats()["dropped"], 1)  # nobody read the FIFO
        self.assertEqual(exectop.__version__, "0.1.0")
        profiler.close()


if __name__ == "__main__":
    unittest.main()
