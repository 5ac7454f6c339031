#!/usr/bin/env python3
"""junit_check.py - checks exectop's JUnit XML against the JSON report of
the same stream, with Python's own XML parser.  Run by tests/e2e/test_junit.c.

    junit_check.py JUNIT.xml REPORT.json FAIL_ON

FAIL_ON is warning, critical or never.  Checks the structure the common
JUnit schema (Jenkins/Surefire, read by GitLab and the GitHub reporters)
describes, that every count attribute matches the elements, and that the
test cases, failures and skips are exactly what the JSON report implies.
Prints "ok tests=T failures=F skipped=S"; exits 1 with a reason otherwise.
"""
import json
import sys
import xml.etree.ElementTree as ET

LEVEL = {"warning": 1, "critical": 2, "never": 99}


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def main(xml_path, json_path, fail_on):
    raw = open(xml_path, "rb").read()
    check(raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'),
          "no XML declaration")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("not UTF-8: %s" % e)
    for b in raw:
        check(b >= 0x20 or b in (0x09, 0x0A, 0x0D), "control byte 0x%02x" % b)
    root = ET.fromstring(raw)  # raises on anything not well-formed
    rep = json.load(open(json_path))

    # Structure: testsuites > testsuite > properties, testcase*, system-out,
    # system-err; attributes the schema requires.
    check(root.tag == "testsuites", "root is <%s>" % root.tag)
    suites = list(root)
    check(len(suites) == 1 and suites[0].tag == "testsuite", "one <testsuite>")
    suite = suites[0]
    for attr in ("name", "tests", "failures", "errors", "skipped", "time",
                 "timestamp", "hostname", "id", "package"):
        check(attr in suite.attrib, "testsuite lacks %s" % attr)
    tags = [c.tag for c in suite]
    check(tags[0] == "properties", "properties first")
    check(tags[-2:] == ["system-out", "system-err"], "system-out/err last")
    check(set(tags[1:-2]) <= {"testcase"}, "only testcases between: %s" % tags)
    props = {p.get("name"): p.get("value") for p in suite[0]}
    check(props.get("fail_on") == fail_on, "fail_on property %r" % props)
    cases = suite.findall("testcase")

    nfail = nskip = 0
    missing_seen = []
    missing_failed = missing_skipped = 0
    seen = {}
    for c in cases:
        for attr in ("name", "classname", "time"):
            check(attr in c.attrib, "testcase lacks %s" % attr)
        kids = [k.tag for k in c]
        check(set(kids) <= {"failure", "skipped", "system-out"},
              "testcase children %s" % kids)
        check(kids.count("failure") + kids.count("skipped") <= 1,
              "failure and skipped together")
        ex = c.get("classname")
        check(ex.startswith("exectop."), "classname %s" % ex)
        ex = ex[len("exectop."):]
        check(c.get("name").startswith(ex + " "), "name %s" % c.get("name"))
        metric = c.get("name")[len(ex) + 1:]
        if metric == "missing":
            # An executor of the baseline with no run: skipped, or failed
            # under --fail-on-missing; checked against the JSON's list.
            missing_seen.append(ex)
            k = c.find("failure")
            if k is None:
                k = c.find("skipped")
            check(k is not None and k.get("message").startswith("missing"),
                  "missing case %s neither skipped nor failed" % ex)
            if c.find("failure") is not None:
                missing_failed += 1
            else:
                missing_skipped += 1
            continue
        check((ex, metric) not in seen, "duplicate case %s %s" % (ex, metric))
        seen[(ex, metric)] = c
        f = c.find("failure")
        if f is not None:
            nfail += 1
            check(f.get("message") and f.get("type") in ("warning", "critical"),
                  "failure attributes %s" % f.attrib)
        if c.find("skipped") is not None:
            nskip += 1
            check(c.find("skipped").get("message"), "skipped without message")
    check(sorted(missing_seen) == sorted(rep.get("missing", [])),
          "missing cases %s, JSON missing %s" % (missing_seen,
                                                  rep.get("missing")))
    cases = [c for c in cases if not c.get("name").endswith(" missing")]

    for el in (root, suite):
        check(int(el.get("tests")) == len(cases) + len(missing_seen),
              "%s tests=%s, %d cases" % (el.tag, el.get("tests"),
                                         len(cases) + len(missing_seen)))
        check(int(el.get("failures")) == nfail + missing_failed,
              "%s failures=%s, counted %d" % (el.tag, el.get("failures"),
                                              nfail + missing_failed))
        check(int(el.get("skipped")) == nskip + missing_skipped,
              "%s skipped=%s, counted %d" % (el.tag, el.get("skipped"),
                                             nskip + missing_skipped))
        check(el.get("errors") == "0", "errors")

    # The cases the JSON report implies: executor x metric with a threshold
    # and values.
    thr = rep["config"]["thresholds"]
    want = set()
    for e in rep["executors"]:
        for m, t in thr.items():
            if t is not None and e["metrics"].get(m, {}).get("n", 0) > 0:
                want.add((e["executor_id"], m))
    check(set(seen) == want, "cases differ from the JSON report: extra %s, "
          "missing %s" % (sorted(set(seen) - want)[:5],
                          sorted(want - set(seen))[:5]))

    # Failures: the regressions at or above fail_on, with delta and advice.
    gated = [r for r in rep["regressions"]
             if LEVEL[r["severity"]] >= LEVEL[fail_on]]
    check(nfail == len(gated), "%d failures, %d gated regressions"
          % (nfail, len(gated)))
    for r in gated:
        c = seen[(r["executor_id"], r["metric_name"])]
        f = c.find("failure")
        check(f is not None, "regression %s %s not a failure"
              % (r["executor_id"], r["metric_name"]))
        msg = f.get("message")
        check(f.get("type") == r["severity"], "type %s" % f.get("type"))
        check("%+.1f%%" % r["delta_percent"] in msg, "delta not in %r" % msg)
        check(r["recommendation"] in msg, "recommendation not in %r" % msg)
        check(r["recommendation"] in f.text, "recommendation not in body")
    # Regressions below fail_on pass, with a note.
    for r in rep["regressions"]:
        if LEVEL[r["severity"]] < LEVEL[fail_on]:
            c = seen[(r["executor_id"], r["metric_name"])]
            check(c.find("failure") is None and c.find("skipped") is None,
                  "ungated regression not passing")
            check("regression" in c.find("system-out").text, "no note")

    # Skipped: pending and new, or everything without a baseline.
    if rep["baseline"] is None:
        check(nskip == len(cases), "no baseline: %d of %d skipped"
              % (nskip, len(cases)))
    else:
        skipped = {(p["executor_id"], p["metric_name"]): "pending: "
                   for p in rep["pending"]}
        skipped.update({(n["executor_id"], n["metric_name"]): "new: "
                        for n in rep["new"]})
        check(nskip == len(skipped), "%d skipped, JSON has %d pending+new"
              % (nskip, len(skipped)))
        for key, prefix in skipped.items():
            s = seen[key].find("skipped")
            check(s is not None and s.get("message").startswith(prefix),
                  "%s %s not skipped as %s" % (key[0], key[1], prefix))

    print("ok tests=%d failures=%d skipped=%d" % (len(cases), nfail, nskip))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
