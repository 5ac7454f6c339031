/*
 * test_gate.c - the CI gate cannot pass on broken input, and the sharp
 * edges a new user hits (issue 13): `report` exits 3 with the reason on
 * stderr and in the JUnit file when no valid record was read, warns about
 * invalid records, fails past --max-invalid; a mistyped command is an
 * error, not a source.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tmux.h"

TestSuite(gate, .init = tu_dir_setup, .fini = tu_dir_teardown,
    .timeout = 120);

/* Runs report -f junit -o r.xml on path; checks status 3, the reason on
 * stderr and the failed "input" test case in the JUnit file. */
static void
expect_no_valid_record(const char *path)
{
	char	*cmd, *err = NULL, *xml, *xp = tu_fmt("%s/r.xml", tu_dir);
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
	char	*p = tu_put("empty.jsonl", "");

	expect_no_valid_record(p);
	free(p);
}

Test(gate, garbage_fails_with_status_3_and_warns)
{
	char	*p = tu_put("junk.jsonl", "garbage\n{\"no_id\":1}\n[1]\n");
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
	char	*p = tu_put("mixed.jsonl",
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

/* A baseline of D1-Q1..D2-Q5 and a run without D1-Q3 and D2-Q1. */
static void
missing_setup(void)
{
	char	*cmd, *err = NULL;

	cmd = tu_fmt("cd '%s' && E='%s' && $E gen --records 400 > run.jsonl && "
	    "$E baseline -o b.yaml run.jsonl 2>/dev/null && "
	    "grep -v -e '\"D1-Q3\"' -e '\"D2-Q1\"' run.jsonl > cur.jsonl", tu_dir,
	    tu_exectop());
	cr_assert_eq(tu_run(cmd, NULL, &err), 0, "%s: %s", cmd, err);
	free(cmd);
	free(err);
}

/* `report -b b.yaml ARGS SRC` in the test directory: checks the exit
 * status, returns stdout; *err gets stderr. */
static char *
report_of(const char *args, const char *src, int want, char **err)
{
	char	*cmd, *out = NULL;
	int	 st;

	*err = NULL;
	cmd = tu_fmt("cd '%s' && '%s' report -b b.yaml %s %s", tu_dir,
	    tu_exectop(), args, src);
	st = tu_run(cmd, &out, err);
	cr_assert_eq(st, want, "%s: exit %d: %s", cmd, st, *err);
	free(cmd);
	return out;
}

/* r.xml agrees with r.json (tests/lib/junit_check.py, gate critical). */
static void
junit_matches_json(void)
{
	char	*cmd, *out = NULL, *err = NULL;

	cmd = tu_fmt("python3 '%s/tests/lib/junit_check.py' '%s/r.xml' "
	    "'%s/r.json' critical", tu_root(), tu_dir, tu_dir);
	cr_assert_eq(tu_run(cmd, &out, &err), 0, "%s%s", out, err);
	free(out);
	free(err);
	free(cmd);
}

/* exectop gen ARGS > NAME in the test directory. */
static void
gen_into(const char *name, const char *args)
{
	char	*cmd, *err = NULL;

	cmd = tu_fmt("cd '%s' && '%s' gen %s > %s", tu_dir, tu_exectop(), args,
	    name);
	cr_assert_eq(tu_run(cmd, NULL, &err), 0, "%s: %s", cmd, err);
	free(cmd);
	free(err);
}

Test(gate, missing_executors_in_every_format)
{
	char	*out, *err, *p;
	json_t	*j, *v;

	missing_setup();
	out = report_of("-f json", "cur.jsonl", 0, &err);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j);
	v = json_object_get(j, "missing");
	cr_assert(json_is_array(v) && json_array_size(v) == 2, "missing: %s",
	    strstr(out, "\"missing\""));
	cr_assert_str_eq(json_string_value(json_array_get(v, 0)), "D1-Q3");
	cr_assert_str_eq(json_string_value(json_array_get(v, 1)), "D2-Q1");
	json_decref(j);
	cr_assert(strstr(err, "warning: 2 executors of the baseline with no "
	    "run (D1-Q3, ...)") != NULL, "stderr: %s", err);
	free(out);
	free(err);
	out = report_of("-f markdown", "cur.jsonl", 0, &err);
	cr_assert((p = strstr(out, "## Missing (2)")) != NULL, "%s", out);
	cr_assert(strstr(p, "| D1-Q3 |") != NULL && strstr(p, "| D2-Q1 |"));
	free(out);
	free(err);
	out = report_of("-f html", "cur.jsonl", 0, &err);
	cr_assert((p = strstr(out, "Missing (2)</h3>")) != NULL);
	cr_assert(strstr(p, "<td>D1-Q3</td>") != NULL);
	free(out);
	free(err);
	/* JUnit: skipped by default, failed with --fail-on-missing (exit 1);
	 * the structure checked against the JSON report each time. */
	free(report_of("-f json -o r.json", "cur.jsonl", 0, &err));
	free(err);
	free(report_of("-f junit -o r.xml", "cur.jsonl", 0, &err));
	free(err);
	junit_matches_json();
	p = tu_path("r.xml");
	out = tu_read_file(p, NULL);
	cr_assert(strstr(out, "name=\"D1-Q3 missing\"") != NULL);
	cr_assert(strstr(out, "<skipped message=\"missing") != NULL);
	free(out);
	free(report_of("-f junit -o r.xml --fail-on-missing", "cur.jsonl", 1,
	    &err));
	cr_assert(strstr(err, "error: 2 executors of the baseline") != NULL,
	    "%s", err);
	free(err);
	out = tu_read_file(p, NULL);
	cr_assert(strstr(out, "<failure type=\"missing\"") != NULL);
	free(out);
	junit_matches_json();
	free(p);
}

Test(gate, tui_alerts_panel_lists_missing)
{
	struct tmux	 tm;
	char		*cmd;

	if (!tmux_available())
		cr_skip_test("tmux is not installed: run .ci/deps.sh test");
	missing_setup();
	memset(&tm, 0, sizeof tm);
	cmd = tu_fmt("LC_ALL=C.UTF-8 '%s' -c /dev/null -b b.yaml cur.jsonl",
	    tu_exectop());
	cr_assert_eq(tmux_start(&tm, 140, 40, tu_dir, cmd), 0);
	cr_assert(tmux_wait_for(&tm, "missing 2", 20000));
	cr_assert(tmux_wait_for(&tm, "MISS in the baseline, no run: D1-Q3, "
	    "D2-Q1", 5000));
	tmux_keys(&tm, "q");
	tmux_stop(&tm);
	free(cmd);
}

Test(gate, mistyped_command_is_an_error_not_a_source)
{
	char	*cmd, *err = NULL, *p;
	int	 st;

	cmd = tu_fmt("cd '%s' && '%s' rport wrong.jsonl", tu_dir, tu_exectop());
	st = tu_run(cmd, NULL, &err);
	cr_assert_eq(st, 2, "%s: exit %d", cmd, st);
	cr_assert(strstr(err, "exectop: 'rport' is neither a command nor a "
	    "file (did you mean 'report'?)") != NULL, "stderr: %s", err);
	free(err);
	free(cmd);
	cmd = tu_fmt("cd '%s' && '%s' confg", tu_dir, tu_exectop());
	err = NULL;
	cr_assert_eq(tu_run(cmd, NULL, &err), 2);
	cr_assert(strstr(err, "did you mean 'config'?") != NULL, "%s", err);
	free(err);
	free(cmd);
	/* An existing file of that name, or a name with '/' or '.', is a
	 * source (here the live UI then refuses: no terminal). */
	p = tu_put("rport", "{\"executor_id\":\"A\",\"execution_time_ms\":1}\n");
	cmd = tu_fmt("cd '%s' && '%s' rport ./later later.jsonl < /dev/null",
	    tu_dir, tu_exectop());
	err = NULL;
	tu_run(cmd, NULL, &err);
	cr_assert(strstr(err, "neither a command") == NULL, "%s", err);
	cr_assert(strstr(err, "terminal") != NULL, "%s", err);
	free(err);
	free(cmd);
	cmd = tu_fmt("cd '%s' && '%s' ./rprt < /dev/null", tu_dir, tu_exectop());
	err = NULL;
	tu_run(cmd, NULL, &err);
	cr_assert(strstr(err, "neither a command") == NULL, "%s", err);
	free(err);
	free(cmd);
	free(p);
}

Test(gate, p_values_and_plurals_as_the_tui_says)
{
	char	*cmd, *out, *err = NULL;

	cmd = tu_fmt("cd '%s' && E='%s' && $E gen --records 400 > run.jsonl && "
	    "$E baseline -o b.yaml run.jsonl 2>/dev/null", tu_dir, tu_exectop());
	cr_assert_eq(tu_run(cmd, NULL, &err), 0, "%s: %s", cmd, err);
	free(cmd);
	free(err);
	gen_into("slow.jsonl", "--records 400 --seed 3 --slow D1-Q2:3");
	out = report_of("-f html", "slow.jsonl", 1, &err);
	cr_assert(strstr(out, "\">&lt;0.0001</td>") != NULL,
	    "no p<0.0001 cell in the HTML");
	cr_assert(strstr(out, ">0.0000<") == NULL, "p printed as 0.0000");
	free(out);
	free(err);
	out = report_of("-f junit", "slow.jsonl", 1, &err);
	cr_assert(strstr(out, ", 1 regression (1 critical)") != NULL, "%s",
	    strstr(out, "<system-out>"));
	free(out);
	free(err);
}

Test(gate, fifo_without_writer_is_named_and_times_out)
{
	char	*cmd, *err = NULL, *out = NULL;
	int	 st;

	/* No writer ever: the note, then the --timeout error, exit 2. */
	cmd = tu_fmt("cd '%s' && mkfifo ff && '%s' report --timeout 3 ff", tu_dir,
	    tu_exectop());
	st = tu_run(cmd, NULL, &err);
	cr_assert_eq(st, 2, "%s: exit %d: %s", cmd, st, err);
	cr_assert(strstr(err, "exectop: waiting for a writer on ff") != NULL,
	    "%s", err);
	cr_assert(strstr(err, "exectop: ff: no writer within --timeout 3 s")
	    != NULL, "%s", err);
	free(cmd);
	free(err);
	/* A writer that comes late: the note, then the report. */
	cmd = tu_fmt("cd '%s' && (sleep 3; echo '{\"executor_id\":\"A\","
	    "\"execution_time_ms\":1}' > ff) & cd '%s' && '%s' report ff; "
	    "st=$?; wait; exit $st", tu_dir, tu_dir, tu_exectop());
	err = NULL;
	st = tu_run(cmd, &out, &err);
	cr_assert_eq(st, 0, "%s: exit %d: %s", cmd, st, err);
	cr_assert(strstr(err, "waiting for a writer on ff") != NULL, "%s", err);
	cr_assert(strstr(out, "\"total_runs\": 1") != NULL, "%s", out);
	free(out);
	free(err);
	free(cmd);
	cmd = tu_fmt("'%s' report --timeout 0 ff", tu_exectop());
	cr_assert_eq(tu_run(cmd, NULL, NULL), 2);
	free(cmd);
}

Test(gate, threshold_editor_typing_replaces_the_value)
{
	struct tmux	 tm;
	char		*cmd, *cfg;

	if (!tmux_available())
		cr_skip_test("tmux is not installed: run .ci/deps.sh test");
	cfg = tu_put("cfg.yaml", "thresholds:\n  execution_time_ms: 50\n");
	gen_into("run.jsonl", "--records 100 --executors 3");
	memset(&tm, 0, sizeof tm);
	cmd = tu_fmt("LC_ALL=C.UTF-8 '%s' -c cfg.yaml run.jsonl", tu_exectop());
	cr_assert_eq(tmux_start(&tm, 120, 32, tu_dir, cmd), 0);
	cr_assert(tmux_wait_for(&tm, "records 100", 20000) ||
	    tmux_wait_for(&tm, "100 records", 1000) ||
	    tmux_wait_for(&tm, "[reading]", 5000));
	tmux_keys(&tm, "t");
	cr_assert(tmux_wait_for(&tm, "threshold execution_time_ms", 10000));
	/* Enter pre-fills 50; typing 30 replaces it: 30%, not 5030%. */
	tmux_keys(&tm, "Enter");
	cr_assert(tmux_wait_for(&tm, "new value:", 10000));
	tmux_type(&tm, "30");
	tmux_keys(&tm, "Enter");
	cr_assert(tmux_wait_for(&tm, "execution_time_ms 50% -> 30%", 10000));
	/* Edit keys still edit the pre-filled value: Backspace, then 5. */
	tmux_keys(&tm, "Enter");
	cr_assert(tmux_wait_for(&tm, "new value:", 10000));
	tmux_keys(&tm, "BSpace");
	tmux_type(&tm, "5");
	tmux_keys(&tm, "Enter");
	cr_assert(tmux_wait_for(&tm, "execution_time_ms 30% -> 35%", 10000));
	tmux_stop(&tm);
	free(cmd);
	free(cfg);
}

Test(gate, quit_with_unsaved_thresholds_asks)
{
	struct tmux	 tm;
	char		*cmd, *cfg, *ex, *txt;

	if (!tmux_available())
		cr_skip_test("tmux is not installed: run .ci/deps.sh test");
	cfg = tu_put("cfg.yaml", "thresholds:\n  execution_time_ms: 50\n");
	gen_into("run.jsonl", "--records 100 --executors 3");
	memset(&tm, 0, sizeof tm);
	cmd = tu_fmt("LC_ALL=C.UTF-8 '%s' -c cfg.yaml run.jsonl; echo EXIT=$? "
	    "> exit.txt", tu_exectop());
	cr_assert_eq(tmux_start(&tm, 120, 32, tu_dir, cmd), 0);
	tmux_keys(&tm, "t");
	cr_assert(tmux_wait_for(&tm, "threshold execution_time_ms", 20000));
	tmux_keys(&tm, "+");
	cr_assert(tmux_wait_for(&tm, "unsaved changes", 10000));
	/* q asks; c cancels and the program goes on. */
	tmux_keys(&tm, "q");
	cr_assert(tmux_wait_for(&tm, "w write and quit, d discard and quit, "
	    "c cancel", 10000));
	tmux_keys(&tm, "c");
	cr_assert(tmux_wait_for(&tm, "quit cancelled", 10000));
	ex = tu_fmt("%s/exit.txt", tu_dir);
	cr_assert(tu_read_file(ex, NULL) == NULL, "quit without asking");
	/* q, w: written to the config, then quit. */
	tmux_keys(&tm, "q");
	cr_assert(tmux_wait_for(&tm, "d discard and quit", 10000));
	tmux_keys(&tm, "w");
	cr_assert(tu_wait_file(ex, "EXIT=0", 20000));
	txt = tu_read_file(cfg, NULL);
	cr_assert(strstr(txt, "execution_time_ms: 50\n") == NULL, "%s", txt);
	free(txt);
	tmux_stop(&tm);
	free(ex);
	free(cmd);
	free(cfg);
}

Test(gate, missing_baseline_file_is_named_in_the_header)
{
	struct tmux	 tm;
	char		*cmd;

	if (!tmux_available())
		cr_skip_test("tmux is not installed: run .ci/deps.sh test");
	gen_into("run.jsonl", "--records 50 --executors 2");
	memset(&tm, 0, sizeof tm);
	cmd = tu_fmt("LC_ALL=C.UTF-8 '%s' -c /dev/null -b basline.yaml "
	    "run.jsonl", tu_exectop());
	cr_assert_eq(tmux_start(&tm, 160, 32, tu_dir, cmd), 0);
	cr_assert(tmux_wait_for(&tm, "basline.yaml not found: b creates it",
	    20000));
	tmux_stop(&tm);
	free(cmd);
}

/* Issue 13 item 3: a typo in a field name is counted and named. */
#define TYPO_RECORDS \
	"{\"executor_id\":\"A\",\"exec_time_ms\":3}\n" \
	"{\"executor_id\":\"A\",\"execution_time_ms\":3,\"succes\":true," \
	"\"method_calls\":[{\"method_name\":\"m\",\"tiem\":1}]}\n" \
	"{\"executor_id\":\"B\",\"exec_time_ms\":4,\"x\":{\"nested\":1}}\n"

Test(gate, unknown_fields_are_counted_and_named)
{
	char		*p = tu_put("typo.jsonl", TYPO_RECORDS);
	char		*cmd, *err, *out, *md;
	json_t		*doc, *u;
	json_error_t	 je;
	int		 j, st;

	for (j = 1; j <= 2; j++) {	/* the serial and the parallel reader */
		err = out = NULL;
		cmd = tu_fmt("'%s' report -j %d '%s'", tu_exectop(), j, p);
		st = tu_run(cmd, &out, &err);
		cr_assert_eq(st, 0, "%s: exit %d: %s", cmd, st, err);
		cr_assert(strstr(err, "exectop: warning: unknown fields ignored "
		    "(exec_time_ms 2, ") != NULL, "-j %d stderr: %s", j, err);
		cr_assert(strstr(err, "method_calls[].tiem 1") != NULL, "%s", err);
		cr_assert(strstr(err, "nested") == NULL, "%s", err);
		cr_assert(strstr(err, "2 records had no known metric") != NULL,
		    "%s", err);
		doc = json_loads(out, 0, &je);
		cr_assert_not_null(doc, "%s", je.text);
		u = json_object_get(doc, "unknown_fields");
		cr_assert_eq(json_integer_value(json_object_get(u,
		    "exec_time_ms")), 2);
		cr_assert_eq(json_integer_value(json_object_get(u, "succes")), 1);
		cr_assert_eq(json_integer_value(json_object_get(u, "x")), 1);
		cr_assert_eq(json_object_size(u), 4, "%s", out);
		cr_assert_eq(json_integer_value(json_object_get(doc,
		    "records_without_metrics")), 2);
		json_decref(doc);
		free(cmd);
		free(err);
		free(out);
	}
	cmd = tu_fmt("'%s' report -f markdown '%s'", tu_exectop(), p);
	md = NULL;
	cr_assert_eq(tu_run(cmd, &md, NULL), 0);
	cr_assert(strstr(md, "## Unknown fields (4)") != NULL, "%s", md);
	cr_assert(strstr(md, "| exec\\_time\\_ms | 2 |") != NULL ||
	    strstr(md, "| exec_time_ms | 2 |") != NULL, "%s", md);
	cr_assert(strstr(md, "2 records had no known metric at all") != NULL);
	free(md);
	free(cmd);
	free(p);
}

Test(gate, tui_invalid_view_names_unknown_fields)
{
	struct tmux	 tm;
	char		*p = tu_put("typo.jsonl", TYPO_RECORDS), *cmd;

	if (!tmux_available())
		cr_skip_test("tmux is not installed: run .ci/deps.sh test");
	memset(&tm, 0, sizeof tm);
	cmd = tu_fmt("LC_ALL=C.UTF-8 '%s' -c /dev/null typo.jsonl", tu_exectop());
	cr_assert_eq(tmux_start(&tm, 160, 40, tu_dir, cmd), 0);
	cr_assert(tmux_wait_for(&tm, "records 3", 20000));
	tmux_keys(&tm, "i");
	cr_assert(tmux_wait_for(&tm, "unknown fields: exec_time_ms 2, ", 5000));
	cr_assert(tmux_wait_for(&tm, "2 without metrics", 5000));
	tmux_keys(&tm, "q");
	tmux_stop(&tm);
	free(cmd);
	free(p);
}

/* A file over 1 MiB read by the parallel reader counts every record's
 * unknown field, as the serial reader does. */
Test(gate, unknown_fields_counted_exactly_in_a_large_file)
{
	char	*p = tu_fmt("%s/big.jsonl", tu_dir), *cmd;
	int	 j;

	cmd = tu_fmt("'%s' gen --records 20000 | sed 's/\"success\"/\"succes\"/' "
	    "> '%s' && test $(stat -c %%s '%s') -gt 1048576", tu_exectop(), p,
	    p);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	free(cmd);
	for (j = 1; j <= 2; j++) {
		cmd = tu_fmt("'%s' report -j %d '%s' 2>/dev/null | jq -e "
		    "'.unknown_fields.succes == 20000 and "
		    "(.unknown_fields | length) == 1'", tu_exectop(), j, p);
		cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
		free(cmd);
	}
	free(p);
}

/*
 * Issue 13 item 5: one baseline discovery rule for every mode.  With
 * ./baseline.yaml present and no -b, report compares against it (as the
 * TUI does) and config --print names it and why; -b still wins; without
 * it every mode says none.
 */
Test(gate, one_baseline_discovery_rule_for_every_mode)
{
	char	*cmd, *out = NULL;
	int	 st;

	cmd = tu_fmt("cd '%s' && env -u EXECTOP_CONFIG XDG_CONFIG_HOME='%s' "
	    "'%s' config --print", tu_dir, tu_dir, tu_exectop());
	cr_assert_eq(tu_run(cmd, &out, NULL), 0);
	cr_assert(strstr(out, "# baseline: none (no -b, no baseline in the "
	    "config, no ./baseline.yaml)") != NULL, "%s", out);
	free(out);
	cr_assert_eq(tu_run(tu_fmt("cd '%s' && '%s' gen --records 2000 > r.jsonl "
	    "&& '%s' gen --records 2000 --seed 2 --slow D1-Q2:3 > s.jsonl && "
	    "'%s' baseline -o baseline.yaml r.jsonl 2>/dev/null", tu_dir,
	    tu_exectop(), tu_exectop(), tu_exectop()), NULL, NULL), 0);
	out = NULL;
	cr_assert_eq(tu_run(cmd, &out, NULL), 0);
	cr_assert(strstr(out, "# baseline: baseline.yaml (found in the "
	    "current directory)") != NULL, "%s", out);
	free(out);
	free(cmd);
	/* report finds it: the slowed executor fails the gate. */
	cmd = tu_fmt("cd '%s' && env -u EXECTOP_CONFIG XDG_CONFIG_HOME='%s' "
	    "'%s' report s.jsonl > /dev/null", tu_dir,
	    tu_dir, tu_exectop());
	st = tu_run(cmd, NULL, NULL);
	cr_assert_eq(st, 1, "report did not use ./baseline.yaml: exit %d", st);
	free(cmd);
	/* -b wins over the discovered file. */
	cr_assert_eq(tu_run(tu_fmt("cd '%s' && '%s' baseline -o other.yaml "
	    "s.jsonl 2>/dev/null", tu_dir, tu_exectop()), NULL, NULL), 0);
	cmd = tu_fmt("cd '%s' && env -u EXECTOP_CONFIG XDG_CONFIG_HOME='%s' "
	    "'%s' report -b other.yaml s.jsonl > /dev/null", tu_dir, tu_dir,
	    tu_exectop());
	st = tu_run(cmd, NULL, NULL);
	cr_assert_eq(st, 0, "-b other.yaml: exit %d", st);
	free(cmd);
}
