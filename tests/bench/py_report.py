#!/usr/bin/env python3
"""py_report.py - the yardstick of issue 10: json.loads per line plus the
per-executor sums (runs, failures, each metric's sum and count, method
calls), stdlib only, one thread.  Prints records/s.
usage: py_report.py FILE"""
import json
import sys
import time

METRICS = ("execution_time_ms", "memory_footprint_mb", "memory_peak_mb",
           "serialization_time_ms", "serialization_size_bytes")


def main():
    t0 = time.monotonic()
    execs = {}
    n = bad = 0
    with open(sys.argv[1], "rb") as f:
        for line in f:
            try:
                r = json.loads(line)
                eid = r["executor_id"]
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            n += 1
            e = execs.get(eid)
            if e is None:
                e = execs[eid] = {"runs": 0, "fail": 0, "sum": [0.0] * 5,
                                  "cnt": [0] * 5, "methods": {}}
            e["runs"] += 1
            if r.get("success") is False:
                e["fail"] += 1
            for i, k in enumerate(METRICS):
                v = r.get(k)
                if v is not None:
                    e["sum"][i] += v
                    e["cnt"][i] += 1
            for m in r.get("method_calls") or ():
                key = (m.get("class_name", ""), m["method_name"])
                s = e["methods"].setdefault(key, [0, 0.0])
                s[0] += m.get("call_count", 1)
                s[1] += m.get("execution_time_ms") or 0.0
    dt = time.monotonic() - t0
    print("%d records (%d bad), %d executors in %.2f s: %.0f records/s"
          % (n, bad, len(execs), dt, n / dt))


if __name__ == "__main__":
    main()
