/*
 * test_tui_catchup.c - the TUI's parallel catch-up end to end: the real
 * binary in a private tmux server opens a big existing file (over
 * TUI_CATCHUP_MIN, so it is parsed on every core in the background), and
 * its snapshot must equal `exectop report` on the same file - also when
 * a producer appends to the file while it is caught up.  The bench hook
 * (EXECTOP_BENCH_LOG) says the parallel catch-up really ran and logs
 * frames and keys.
 *
 * Nothing here depends on timing: each step waits for what it expects.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "testutil.h"
#include "tmux.h"

#define WAIT	60000	/* ms: the longest any step may take (ASan, slow CI) */

static char		*dir;
static struct tmux	 tm;

static void
fx_init(void)
{
	cr_assert(tmux_available(), "tmux is needed for these tests");
	cr_assert_eq(tu_export_exectop(), 0, "no exectop binary at %s",
	    tu_exectop());
	memset(&tm, 0, sizeof tm);
	dir = tu_tmpdir();
}

static void
fx_fini(void)
{
	tmux_stop(&tm);
	tu_rmtree(dir);
	free(dir);
}

TestSuite(tui_catchup, .init = fx_init, .fini = fx_fini, .timeout = 240);

static void
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd, *full, *err = NULL;
	int	 rc;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) == -1)
		abort();
	va_end(ap);
	full = tu_fmt("cd '%s' && %s", dir, cmd);
	rc = tu_run(full, NULL, &err);
	cr_assert_eq(rc, 0, "'%s' failed (%d): %s", cmd, rc, err);
	free(err);
	free(full);
	free(cmd);
}

static char *
path(const char *name)
{
	return tu_fmt("%s/%s", dir, name);
}

/* The "records N" of the header, -1 when not on screen. */
static bool
records_are(const char *screen, void *want)
{
	const char	*p = strstr(screen, " records ");

	return p != NULL && strtoll(p + 9, NULL, 10) == *(long long *)want;
}

static json_t *
load_json(const char *p)
{
	json_error_t	 err;
	json_t		*j = json_load_file(p, 0, &err);

	cr_assert_not_null(j, "%s: %s (line %d)", p, err.text, err.line);
	return j;
}

/* `exectop report` of big.jsonl as JSON; *records gets its record count. */
static json_t *
report(long long *records)
{
	json_t	*j;
	char	*p;

	sh("'%s' report -c cfg.yaml --fail-on never --format json -o rep.json "
	    "big.jsonl", tu_exectop());
	p = path("rep.json");
	j = load_json(p);
	free(p);
	*records = json_integer_value(json_object_get(j, "total_runs"));
	return j;
}

/* Presses s and loads the snapshot's JSON. */
static json_t *
snapshot(void)
{
	glob_t	 g;
	json_t	*j;
	char	*pat;

	tmux_keys(&tm, "s");
	cr_assert(tmux_wait_for(&tm, "snapshot: snaps/exectop-", WAIT));
	pat = tu_fmt("%s/snaps/exectop-*.json", dir);
	cr_assert_eq(glob(pat, 0, NULL, &g), 0);
	cr_assert_eq(g.gl_pathc, 1);
	j = load_json(g.gl_pathv[0]);
	globfree(&g);
	free(pat);
	return j;
}

static void
expect_same(json_t *snap, json_t *rep)
{
	char	*a, *b;

	json_object_del(snap, "timestamp");
	json_object_del(rep, "timestamp");
	if (json_equal(snap, rep))
		return;
	a = json_dumps(snap, JSON_COMPACT);
	b = json_dumps(rep, JSON_COMPACT);
	cr_expect(false, "snapshot differs from report:\n%s\n---\n%s", a, b);
	free(a);
	free(b);
}

/* The lines of the bench log starting with c (and a space). */
static int
log_count(const char *log, char c, char **last)
{
	const char	*p = log;
	int		 n = 0;

	if (last != NULL)
		*last = NULL;
	while (p != NULL && *p != '\0') {
		if (p[0] == c && p[1] == ' ') {
			n++;
			if (last != NULL) {
				free(*last);
				*last = strndup(p, strcspn(p, "\n"));
			}
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return n;
}

static void
quit_ok(void)
{
	char	*p = path("exit.txt");

	tmux_keys(&tm, "q");
	cr_expect(tu_wait_file(p, "EXIT=0", WAIT), "q should exit 0");
	free(p);
}

/* A baseline, a config with a snapshot dir, and a big file with bad,
 * blank and over-long lines in it (about 14 MB). */
static void
setup(void)
{
	char	*cfg, *p = path("cfg.yaml");

	sh("'%s' gen --records 300 --executors 40 --seed 1 > base.jsonl && "
	    "'%s' baseline -o base.yaml base.jsonl", tu_exectop(), tu_exectop());
	cfg = tu_fmt("baseline: \"base.yaml\"\nwindow: 30\nmin_samples: 5\n"
	    "significance: 0.05\nsnapshot:\n  dir: snaps\n");
	tu_write_file(p, cfg, strlen(cfg), 0);
	free(cfg);
	free(p);
	sh("'%s' gen --records 12000 --executors 40 --seed 2 "
	    "--slow D2-Q3:2 > big.jsonl", tu_exectop());
	sh("printf 'not json\\n\\n{\"executor_id\":\"Z\"}\\n[]\\n' >> big.jsonl");
	sh("head -c 1100000 /dev/zero | tr '\\0' x >> big.jsonl && "
	    "echo >> big.jsonl");
	sh("'%s' gen --records 8000 --executors 40 --seed 3 >> big.jsonl",
	    tu_exectop());
}

static void
start(void)
{
	char	*cmd;

	cmd = tu_fmt("EXECTOP_BENCH_LOG=bench.log LC_ALL=C.UTF-8 '%s' "
	    "--no-mouse -c cfg.yaml big.jsonl 2>err.txt; echo EXIT=$? > "
	    "exit.txt", tu_exectop());
	cr_assert_eq(tmux_start(&tm, 140, 40, dir, cmd), 0);
	free(cmd);
}

Test(tui_catchup, snapshot_equals_report)
{
	json_t		*rep, *snap;
	long long	 n;
	char		*log, *last = NULL, *p;
	unsigned long long t, recs, bytes;

	setup();
	rep = report(&n);
	cr_assert_eq(n, 20001, "report counted %lld records", n);
	start();
	cr_assert(tmux_wait_until(&tm, records_are, &n, WAIT));
	tmux_keys(&tm, "j");
	snap = snapshot();
	expect_same(snap, rep);
	json_decref(snap);
	json_decref(rep);
	quit_ok();

	p = path("bench.log");
	log = tu_read_file(p, NULL);
	cr_assert_not_null(log);
	cr_expect_eq(log_count(log, 'c', &last), 1, "one parallel catch-up");
	cr_assert_not_null(last);
	cr_assert_eq(sscanf(last, "c %llu %llu %llu", &t, &recs, &bytes), 3);
	cr_expect_eq(recs, 20001ULL, "catch-up records %llu", recs);
	cr_expect_gt(log_count(log, 'f', NULL), 0, "frames logged");
	cr_expect_eq(log_count(log, 'k', NULL), 3, "j, s and q logged");
	free(last);
	free(log);
	free(p);
}

Test(tui_catchup, appended_during_catch_up_loses_nothing)
{
	json_t		*rep, *snap;
	long long	 n;
	char		*cmd, *log, *p;

	setup();
	start();
	/* A producer appends as fast as it can while the file is caught up
	 * (64 KB writes: lines are cut between writes). */
	sh("'%s' gen --records 6000 --executors 40 --seed 4 >> big.jsonl",
	    tu_exectop());
	cmd = tu_fmt("'%s' gen --records 3000 --executors 40 --seed 5 "
	    "--slow D1-Q1:3 >> big.jsonl", tu_exectop());
	sh("%s", cmd);
	free(cmd);
	rep = report(&n);
	cr_assert_eq(n, 29001, "report counted %lld records", n);
	cr_assert(tmux_wait_until(&tm, records_are, &n, WAIT));
	snap = snapshot();
	expect_same(snap, rep);
	json_decref(snap);
	json_decref(rep);
	quit_ok();

	p = path("bench.log");
	log = tu_read_file(p, NULL);
	cr_assert_not_null(log);
	cr_expect_eq(log_count(log, 'c', NULL), 1, "one parallel catch-up");
	free(log);
	free(p);
}
