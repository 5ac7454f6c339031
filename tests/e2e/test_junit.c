/*
 * test_junit.c - `exectop report --format junit` checked with Python's XML
 * parser (tests/lib/junit_check.py) against the JSON report of the same
 * stream: structure, count attributes, one test case per executor and
 * checked metric, failures exactly the regressions at or above --fail-on
 * (delta and recommendation in the message), pending and new metrics
 * skipped, everything skipped without a baseline; and hostile executor
 * ids (markup, quotes, control characters, U+FFFE) still giving
 * well-formed XML.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void
setup(void)
{
	char	*cmd, *err = NULL;

	tu_dir_setup();
	/* Baseline from a clean stream; the current stream has a critical
	 * (D1-Q2 x3), a warning (D1-Q3 x1.3), an improvement (D1-Q4 x0.5),
	 * a pending executor (D2-Q5: 3 runs) and two new ones (D3-*). */
	cmd = tu_fmt("cd '%s' && E='%s' && "
	    "$E gen --records 3000 > run.jsonl && "
	    "$E baseline -o base.yaml run.jsonl 2>/dev/null && "
	    "$E gen --records 3000 --seed 2 --slow D1-Q2:3 --slow D1-Q3:1.3 "
	    "--slow D1-Q4:0.5 > all.jsonl && "
	    "grep -v '\"D2-Q5\"' all.jsonl > cur.jsonl && "
	    "grep '\"D2-Q5\"' all.jsonl | head -n 3 >> cur.jsonl && "
	    "$E gen --records 240 --executors 12 --seed 4 | grep '\"D3-' "
	    ">> cur.jsonl", tu_dir, tu_exectop());
	cr_assert_eq(tu_run(cmd, NULL, &err), 0, "%s: %s", cmd, err);
	free(cmd);
	free(err);
}

TestSuite(junit, .init = setup, .fini = tu_dir_teardown, .timeout = 120);

/* Writes the JSON and JUnit reports with args, checks the exit status of
 * the JUnit run, and runs the checker; returns its "ok ..." line. */
static char *
check(const char *args, const char *fail_on, int want_status)
{
	char	*cmd, *out = NULL, *err = NULL;
	int	 st;

	cmd = tu_fmt("cd '%s' && '%s' report %s -f json -o r.json cur.jsonl; "
	    "'%s' report %s -f junit cur.jsonl > r.xml", tu_dir, tu_exectop(), args,
	    tu_exectop(), args);
	st = tu_run(cmd, NULL, &err);
	cr_assert_eq(st, want_status, "%s: exit %d: %s", cmd, st, err);
	free(cmd);
	free(err);
	cmd = tu_fmt("python3 '%s/tests/lib/junit_check.py' '%s/r.xml' "
	    "'%s/r.json' %s", tu_root(), tu_dir, tu_dir, fail_on);
	st = tu_run(cmd, &out, &err);
	cr_assert_eq(st, 0, "%s:\n%s%s", cmd, out, err);
	free(cmd);
	free(err);
	fprintf(stderr, "junit %s: %s", args, out);
	return out;
}

Test(junit, fail_on_critical)
{
	char	*out = check("-b base.yaml --fail-on critical", "critical", 1);

	/* 11 executors with 4 checked metrics, D2-Q5 too: 12 x 4 = 48. */
	cr_expect_not_null(strstr(out, "tests=48 failures=1 skipped=12"), "%s",
	    out);
	free(out);
}

Test(junit, fail_on_warning)
{
	char	*out = check("-b base.yaml --fail-on warning", "warning", 1);

	cr_expect_not_null(strstr(out, "failures=2 "), "%s", out);
	free(out);
}

Test(junit, fail_on_never)
{
	char	*out = check("-b base.yaml --fail-on never", "never", 0);

	cr_expect_not_null(strstr(out, "failures=0 "), "%s", out);
	free(out);
}

Test(junit, without_a_baseline_everything_is_skipped)
{
	char	*out = check("", "critical", 0);

	cr_expect_not_null(strstr(out, "tests=48 failures=0 skipped=48"), "%s",
	    out);
	free(out);
}

Test(junit, hostile_ids_stay_well_formed)
{
	static const char *lines =
	    "{\"executor_id\": \"a&b<c>d\\\"e'f]]>\", \"execution_time_ms\": 1}\n"
	    "{\"executor_id\": \"ctl\\u0001\\u001b[31m\\u0085x\\ufffe\\u202e\", "
	    "\"execution_time_ms\": 2}\n"
	    "{\"executor_id\": \"caf\\u00e9 \\u6f22\", \"execution_time_ms\": 3}\n";
	char	*p = tu_fmt("%s/hostile.jsonl", tu_dir), *cmd, *out = NULL;
	char	*err = NULL;

	tu_write_file(p, lines, strlen(lines), 0);
	cmd = tu_fmt("cd '%s' && '%s' report -f json -o h.json hostile.jsonl && "
	    "'%s' report -f junit hostile.jsonl > h.xml && python3 -c '"
	    "import sys, xml.etree.ElementTree as ET\n"
	    "raw = open(\"h.xml\", \"rb\").read()\n"
	    "assert all(b >= 0x20 or b in (9, 10, 13) for b in raw)\n"
	    "for c in ET.fromstring(raw).iter(\"testcase\"):\n"
	    "    print(c.get(\"name\"))\n'", tu_dir, tu_exectop(), tu_exectop());
	cr_assert_eq(tu_run(cmd, &out, &err), 0, "%s: %s", cmd, err);
	/* Markup and quotes round-trip as text. */
	cr_expect_not_null(strstr(out, "a&b<c>d\"e'f]]> execution_time_ms"),
	    "%s", out);
	/* Control and bidi characters become visible escapes, U+FFFE goes. */
	cr_expect_not_null(strstr(out, "ctl\\x01\\x1b[31m"), "%s", out);
	cr_expect_not_null(strstr(out, "\\u202e"), "%s", out);
	cr_expect_null(strstr(out, "\xef\xbf\xbe"), "%s", out);
	/* Other UTF-8 is kept. */
	cr_expect_not_null(strstr(out, "caf\xc3\xa9 \xe6\xbc\xa2"), "%s", out);
	free(out);
	free(err);
	free(cmd);
	free(p);
}
