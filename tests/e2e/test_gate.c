/*
 * test_gate.c - the CI gate cannot pass on broken input, and the sharp
 * edges a new user hits (issue 13): `report` exits 3 with the reason on
 * stderr and in the JUnit file when no valid record was read, warns about
 * invalid records, fails past --max-invalid; a mistyped command is an
 * error, not a source.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *dir;

static void
setup(void)
{
	dir = tu_tmpdir();
}

static void
teardown(void)
{
	tu_rmtree(dir);
	free(dir);
}

TestSuite(gate, .init = setup, .fini = teardown, .timeout = 120);

static char *
in_dir(const char *name, const char *data)
{
	char	*p = tu_fmt("%s/%s", dir, name);

	tu_write_file(p, data, strlen(data), 0);
	return p;
}

/* Runs report -f junit -o r.xml on path; checks status 3, the reason on
 * stderr and the failed "input" test case in the JUnit file. */
static void
expect_no_valid_record(const char *path)
{
	char	*cmd, *err = NULL, *xml, *xp = tu_fmt("%s/r.xml", dir);
	int	 st;

	cmd = tu_fmt("'%s' report -f junit -o '%s' '%s'", tu_exectop(), xp,
	    path);
	st = tu_run(cmd, NULL, &err);
	cr_assert_eq(st, 3, "%s: exit %d: %s", cmd, st, err);
	cr_assert(strstr(err, "exectop: no valid record was read") != NULL,
	    "stderr: %s", err);
	xml = tu_read_file(xp, NULL);
	cr_assert_not_null(xml, "no JUnit file written");
	cr_assert(strstr(xml, "failures=\"1\"") != NULL, "%s", xml);
	cr_assert(strstr(xml, "<testcase name=\"input\"") != NULL, "%s", xml);
	cr_assert(strstr(xml, "no valid record was read") != NULL, "%s", xml);
	free(xml);
	free(err);
	free(cmd);
	free(xp);
}

Test(gate, empty_input_fails_with_status_3)
{
	char	*p = in_dir("empty.jsonl", "");

	expect_no_valid_record(p);
	free(p);
}

Test(gate, garbage_fails_with_status_3_and_warns)
{
	char	*p = in_dir("junk.jsonl", "garbage\n{\"no_id\":1}\n[1]\n");
	char	*cmd, *err = NULL;

	expect_no_valid_record(p);
	cmd = tu_fmt("'%s' report '%s' > /dev/null", tu_exectop(), p);
	cr_assert_eq(tu_run(cmd, NULL, &err), 3);
	cr_assert(strstr(err, "warning: 3 invalid records skipped") != NULL,
	    "stderr: %s", err);
	cr_assert(strstr(err, "missing_executor_id 1") != NULL, "stderr: %s",
	    err);
	free(err);
	free(cmd);
	free(p);
}

Test(gate, invalid_records_warn_and_max_invalid_fails)
{
	char	*p = in_dir("mixed.jsonl",
	    "{\"executor_id\":\"A\",\"execution_time_ms\":10}\n"
	    "not json\n"
	    "{\"executor_id\":\"A\",\"execution_time_ms\":\"x\"}\n"
	    "{\"executor_id\":\"A\",\"execution_time_ms\":11}\n");
	char	*cmd, *err = NULL, *out = NULL;
	int	 st;

	/* Default: a warning, the gate passes. */
	cmd = tu_fmt("'%s' report '%s'", tu_exectop(), p);
	st = tu_run(cmd, &out, &err);
	cr_assert_eq(st, 0, "%s: exit %d: %s", cmd, st, err);
	cr_assert(strstr(err, "exectop: warning: 2 invalid records skipped")
	    != NULL, "stderr: %s", err);
	cr_assert(strstr(out, "\"input_error\"") == NULL);
	free(cmd);
	free(err);
	free(out);
	/* At the limit: passes. */
	cmd = tu_fmt("'%s' report --max-invalid 2 '%s' >/dev/null",
	    tu_exectop(), p);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	free(cmd);
	/* Over it: status 3, the reason on stderr and in the JSON. */
	cmd = tu_fmt("'%s' report --max-invalid 1 '%s'", tu_exectop(), p);
	err = out = NULL;
	st = tu_run(cmd, &out, &err);
	cr_assert_eq(st, 3, "%s: exit %d: %s", cmd, st, err);
	cr_assert(strstr(err, "more than --max-invalid 1") != NULL, "%s", err);
	cr_assert(strstr(out, "\"input_error\"") != NULL, "%s", out);
	free(cmd);
	free(err);
	free(out);
	cmd = tu_fmt("'%s' report --max-invalid x '%s'", tu_exectop(), p);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 2, "%s", cmd);
	free(cmd);
	free(p);
}
