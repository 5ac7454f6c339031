/*
 * test_tui.c - the live terminal UI end to end: the real binary inside a
 * private tmux server (new-session -d -x W -y H, send-keys,
 * capture-pane -p) reading real files, FIFOs and stdin.
 *
 * Nothing here depends on timing: every step waits (with a generous
 * timeout) for the text it expects on the screen or in a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "testutil.h"
#include "tmux.h"

#define WAIT	15000	/* ms: the longest any step may take */

struct fx {
	char		*dir;
	struct tmux	 tm;
};

static struct fx	fx;

static void
fx_init(void)
{
	cr_assert(tmux_available(), "tmux is needed for these tests");
	/* The pane runs in the test directory: the binary's path must be
	 * absolute (run-all.sh makes it so; a direct run may not). */
	cr_assert_eq(tu_export_exectop(), 0, "no exectop binary at %s",
	    tu_exectop());
	memset(&fx, 0, sizeof fx);
	fx.dir = tu_tmpdir();
}

static void
fx_fini(void)
{
	tmux_stop(&fx.tm);
	tu_rmtree(fx.dir);
	free(fx.dir);
}

TestSuite(tui, .init = fx_init, .fini = fx_fini, .timeout = 120);

static char *
path(const char *name)
{
	return tu_fmt("%s/%s", fx.dir, name);
}

/* Runs a shell command in the test directory; asserts it succeeded. */
static void
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd, *full, *err = NULL, msg[2048];
	int	 rc;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) == -1)
		abort();
	va_end(ap);
	full = tu_fmt("cd '%s' && %s", fx.dir, cmd);
	rc = tu_run(full, NULL, &err);
	snprintf(msg, sizeof msg, "'%s' failed (%d): %s", cmd, rc, err);
	free(err);
	free(full);
	free(cmd);
	cr_assert_eq(rc, 0, "%s", msg);
}

/* `exectop gen ARGS > file` (or >> with append). */
static void
gen(const char *file, int append, const char *args)
{
	sh("'%s' gen %s %s '%s'", tu_exectop(), args, append ? ">>" : ">",
	    file);
}

static void
write_text(const char *name, const char *text)
{
	char	*p = path(name);

	tu_write_file(p, text, strlen(text), 0);
	free(p);
}

/* Starts `exectop ARGS` in the test directory; its exit status goes to
 * exit.txt, its stderr to err.txt. */
static void
start(int w, int h, const char *env, const char *args)
{
	char	*cmd;

	cmd = tu_fmt("LC_ALL=C.UTF-8 %s '%s' %s 2>err.txt; echo EXIT=$? > "
	    "exit.txt",
	    env != NULL ? env : "", tu_exectop(), args);
	cr_assert_eq(tmux_start(&fx.tm, w, h, fx.dir, cmd), 0);
	free(cmd);
}

static bool
wait_for(const char *text)
{
	return tmux_wait_for(&fx.tm, text, WAIT);
}

static bool
wait_gone(const char *text)
{
	return tmux_wait_gone(&fx.tm, text, WAIT);
}

/* The "records N" count of the header, -1 when not on screen. */
static long long
screen_records(const char *s)
{
	const char	*p = strstr(s, " records ");

	return p == NULL ? -1 : strtoll(p + 9, NULL, 10);
}

static bool
records_are(const char *screen, void *want)
{
	return screen_records(screen) == *(long long *)want;
}

static bool
wait_records(long long n)
{
	if (tmux_wait_until(&fx.tm, records_are, &n, WAIT))
		return true;
	fprintf(stderr, "(waited for records %lld)\n", n);
	return false;
}

static void
quit_key_ok(const char *key)
{
	char	*p = path("exit.txt");

	tmux_keys(&fx.tm, key);
	cr_expect(tu_wait_file(p, "EXIT=0", WAIT), "%s should exit 0", key);
	free(p);
}

static void
quit_ok(void)
{
	char	*p = path("exit.txt");

	tmux_keys(&fx.tm, "q");
	cr_expect(tu_wait_file(p, "EXIT=0", WAIT), "q should exit 0");
	free(p);
}

/* The first table line (below the EXECUTOR header) holding id; malloc'd
 * or NULL. */
static char *
table_line(const char *screen, const char *id)
{
	const char	*p = strstr(screen, "EXECUTOR"), *l, *e, *end;

	if (p == NULL || (l = strstr(p, id)) == NULL)
		return NULL;
	end = strstr(p, " Alerts:");
	if (end != NULL && l > end)
		return NULL;	/* not in the table */
	while (l > screen && l[-1] != '\n')
		l--;
	e = strchr(l, '\n');
	return e != NULL ? strndup(l, (size_t)(e - l)) : strdup(l);
}

static bool
has_row(const char *screen, const char *id)
{
	char	*l = table_line(screen, id);

	free(l);
	return l != NULL;
}

static int	line_of(const char *, const char *);

/* The detail view's title line: the first line below the header. */
static int
draw_title_line(const char *screen)
{
	return line_of(screen, " refresh ") + 1;
}

static int
line_of(const char *screen, const char *text)
{
	const char	*p = strstr(screen, text), *q;
	int		 n = 0;

	if (p == NULL)
		return -1;
	for (q = screen; q < p; q++)
		if (*q == '\n')
			n++;
	return n;
}

Test(tui, records_appear_and_q_exits_0)
{
	char	*s;

	gen("run.jsonl", 0, "--records 300 --executors 5 --seed 1");
	start(120, 30, NULL, "run.jsonl");
	cr_assert(wait_records(300));
	cr_assert(wait_for("[reading]"));
	s = tmux_capture(&fx.tm);
	cr_expect_not_null(strstr(s, "EXECUTOR"));
	cr_expect_not_null(strstr(s, "STATUS"));
	cr_expect_not_null(strstr(s, "D1-Q1"));
	cr_expect_not_null(strstr(s, "D1-Q5"));
	cr_expect_not_null(strstr(s, "executors 5"));
	cr_expect_not_null(strstr(s, "Alerts:"));
	cr_expect_not_null(strstr(s, "Bottlenecks:"));
	free(s);
	quit_ok();
}

Test(tui, sort_filter_detail_help)
{
	char	*s;
	int	 i;

	gen("run.jsonl", 0, "--records 200 --executors 10 --seed 2");
	start(130, 32, NULL, "run.jsonl");
	cr_assert(wait_records(200));
	cr_assert(wait_for("sort: SCORE"));

	/* Sort by executor id: `<` from SCORE walks left to EXECUTOR. */
	for (i = 0; i < 10; i++)
		tmux_keys(&fx.tm, "<");
	cr_assert(wait_for("sort: EXECUTOR"));
	s = tmux_capture(&fx.tm);
	cr_expect_lt(line_of(s, " D1-Q1 "), line_of(s, " D1-Q2 "));
	cr_expect_lt(line_of(s, " D1-Q5 "), line_of(s, " D2-Q1 "));
	free(s);
	tmux_keys(&fx.tm, "r");
	cr_assert(wait_for("(reversed)"));
	s = tmux_capture(&fx.tm);
	cr_expect_gt(line_of(s, " D1-Q1 "), line_of(s, " D2-Q5 "));
	free(s);
	tmux_keys(&fx.tm, "F6");
	cr_assert(wait_for("sort: RUNS"));

	/* Filter. */
	tmux_keys(&fx.tm, "/");
	cr_assert(wait_for("filter: _"));
	tmux_type(&fx.tm, "q3");
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("filter: q3"));
	s = tmux_capture(&fx.tm);
	cr_expect(has_row(s, "D1-Q3"));
	cr_expect(has_row(s, "D2-Q3"));
	cr_expect(!has_row(s, "D1-Q1 "), "filtered out:\n%s", s);
	free(s);
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_gone("filter: q3"));
	s = tmux_capture(&fx.tm);
	cr_expect(has_row(s, "D1-Q1"));
	free(s);

	/* Detail of the selected executor, and back. */
	tmux_keys(&fx.tm, "Home");
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("Methods:"));
	cr_assert(wait_for("now avg"));
	cr_expect(wait_for("execution time, last"));
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_for("EXECUTOR"));
	cr_expect(wait_gone("Methods:"));

	/* Help lists the keys. */
	tmux_keys(&fx.tm, "?");
	cr_assert(wait_for("exectop help"));
	cr_expect(wait_for("threshold editor"));
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_gone("exectop help"));
	tmux_keys(&fx.tm, "F1");
	cr_assert(wait_for("exectop help"));
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_for("EXECUTOR"));
	quit_ok();
}

static bool
records_at_least(const char *screen, void *want)
{
	return screen_records(screen) >= *(long long *)want;
}

Test(tui, pause_freezes_table_while_ingest_goes_on)
{
	char		*s, *before, *after, *run = path("run.jsonl");
	long long	 n = 450;

	gen(run, 0, "--records 300 --executors 3 --seed 3");
	start(120, 30, NULL, "run.jsonl");
	cr_assert(wait_records(300));
	tmux_keys(&fx.tm, "p");
	cr_assert(wait_for("PAUSED"));
	s = tmux_capture(&fx.tm);
	before = table_line(s, "D1-Q1");
	cr_assert_not_null(before);
	cr_expect_not_null(strstr(before, " 100 "), "%s", before);
	free(s);

	gen(run, 1, "--records 150 --executors 3 --seed 4");
	cr_assert(tmux_wait_until(&fx.tm, records_at_least, &n, WAIT));
	s = tmux_capture(&fx.tm);
	after = table_line(s, "D1-Q1");
	cr_expect_str_eq(after, before, "the table moved while paused");
	free(after);
	free(s);

	tmux_keys(&fx.tm, "p");
	cr_assert(wait_gone("PAUSED"));
	cr_assert(wait_for(" 150 "));
	s = tmux_capture(&fx.tm);
	after = table_line(s, "D1-Q1");
	cr_expect_not_null(strstr(after, " 150 "), "%s", after);
	free(after);
	free(s);
	free(before);
	free(run);
	quit_ok();
}

/* Config for the alert tests: small window so alerts move quickly. */
static void
alert_config(const char *baseline, const char *extra)
{
	char	*c;

	c = tu_fmt("# test config\nbaseline: \"%s\"\nwindow: 20\n"
	    "min_samples: 5\nsignificance: 0.05\n%s", baseline,
	    extra != NULL ? extra : "");
	write_text("cfg.yaml", c);
	free(c);
}

Test(tui, slowdown_raises_crit_and_recovery_clears)
{
	gen("base.jsonl", 0, "--records 400 --executors 4 --seed 1");
	sh("'%s' baseline -o base.yaml base.jsonl", tu_exectop());
	alert_config("base.yaml", NULL);
	sh("mkfifo in.fifo");
	start(130, 32, NULL, "-c cfg.yaml in.fifo");
	cr_assert(wait_for("waiting for writer"));

	gen("in.fifo", 0, "--records 100 --executors 4 --seed 2");
	cr_assert(wait_records(100));
	cr_assert(wait_for("no active regressions"));

	gen("in.fifo", 0, "--records 100 --executors 4 --seed 3 "
	    "--slow D1-Q2:3");
	cr_assert(wait_records(200));
	cr_assert(wait_for("CRIT D1-Q2"));
	/* The detector's shift and change point (run 26 of D1-Q2). */
	cr_assert(wait_for("% since run 2"));
	cr_expect(wait_for("Alerts: 1 active (1 critical)"));

	gen("in.fifo", 0, "--records 100 --executors 4 --seed 4");
	cr_assert(wait_records(300));
	cr_assert(wait_gone("CRIT D1-Q2"));
	cr_expect(wait_for("no active regressions"));
	quit_ok();
}

static json_t *
load_json(const char *p)
{
	json_error_t	 err;
	json_t		*j = json_load_file(p, 0, &err);

	cr_assert_not_null(j, "%s: %s (line %d)", p, err.text, err.line);
	return j;
}

Test(tui, snapshot_writes_three_files_like_report)
{
	glob_t	 g;
	char	*pat, *out = NULL, *err = NULL, *cmd, *md, *html;
	json_t	*snap, *rep;
	size_t	 i;
	int	 rc;

	gen("base.jsonl", 0, "--records 200 --executors 4 --seed 1");
	sh("'%s' baseline -o base.yaml base.jsonl", tu_exectop());
	alert_config("base.yaml", "snapshot:\n  dir: snaps\n");
	gen("run.jsonl", 0, "--records 120 --executors 4 --seed 5 "
	    "--slow D1-Q3:2.5");
	start(120, 30, NULL, "-c cfg.yaml run.jsonl");
	cr_assert(wait_records(120));
	tmux_keys(&fx.tm, "s");
	cr_assert(wait_for("snapshot: snaps/exectop-"));

	pat = tu_fmt("%s/snaps/exectop-*", fx.dir);
	cr_assert_eq(glob(pat, 0, NULL, &g), 0);
	cr_assert_eq(g.gl_pathc, 3, "want .json .md .html");
	md = html = NULL;
	snap = NULL;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i];
		size_t	    n = strlen(p);

		if (n > 5 && strcmp(p + n - 5, ".json") == 0)
			snap = load_json(p);
		else if (n > 3 && strcmp(p + n - 3, ".md") == 0)
			md = tu_read_file(p, NULL);
		else if (n > 5 && strcmp(p + n - 5, ".html") == 0)
			html = tu_read_file(p, NULL);
	}
	cr_assert_not_null(snap);
	cr_assert_not_null(md);
	cr_assert_not_null(html);
	cr_expect_not_null(strstr(md, "D1-Q3"));
	cr_expect_not_null(strstr(html, "<html"));
	cr_expect_not_null(strstr(html, "D1-Q3"));

	/* The same as `exectop report` on the same records. */
	cmd = tu_fmt("cd '%s' && '%s' report -c cfg.yaml --fail-on never "
	    "--format json -o rep.json run.jsonl", fx.dir, tu_exectop());
	rc = tu_run(cmd, &out, &err);
	cr_assert_eq(rc, 0, "%s", err);
	free(cmd);
	cmd = path("rep.json");
	rep = load_json(cmd);
	json_object_del(snap, "timestamp");
	json_object_del(rep, "timestamp");
	cr_expect(json_equal(snap, rep), "snapshot JSON differs from report:"
	    "\n%s\n---\n%s", json_dumps(snap, JSON_COMPACT),
	    json_dumps(rep, JSON_COMPACT));
	cr_expect_gt(json_array_size(json_object_get(snap, "regressions")), 0);
	json_decref(snap);
	json_decref(rep);
	free(cmd);
	free(out);
	free(err);
	free(md);
	free(html);
	free(pat);
	globfree(&g);
	quit_ok();
}

Test(tui, b_saves_baseline_then_slow_stream_alerts)
{
	char	*bl = path("bl.yaml");

	alert_config("bl.yaml", NULL);
	sh("mkfifo in.fifo");
	start(130, 32, NULL, "-c cfg.yaml in.fifo");
	cr_assert(wait_for("bl.yaml not found: b creates it"));
	gen("in.fifo", 0, "--records 300 --executors 4 --seed 1");
	cr_assert(wait_records(300));
	tmux_keys(&fx.tm, "b");
	cr_assert(wait_for("save a baseline of 4 executors"));
	tmux_keys(&fx.tm, "y");
	cr_assert(wait_for("baseline of 4 executors saved to"));
	cr_assert(tu_wait_file(bl, "D1-Q4", WAIT));
	cr_expect(wait_for("no active regressions"));

	gen("in.fifo", 0, "--records 100 --executors 4 --seed 2 "
	    "--slow D1-Q1:4");
	cr_assert(wait_records(400));
	cr_assert(wait_for("CRIT D1-Q1"));
	free(bl);
	quit_ok();
}

Test(tui, b_can_be_declined)
{
	char		*bl = path("baseline.yaml");
	struct stat	 st;

	gen("run.jsonl", 0, "--records 50 --executors 2 --seed 1");
	start(120, 30, NULL, "run.jsonl");
	cr_assert(wait_records(50));
	tmux_keys(&fx.tm, "b");
	cr_assert(wait_for("(y/n)"));
	tmux_keys(&fx.tm, "n");
	cr_assert(wait_for("baseline not saved"));
	cr_expect_eq(stat(bl, &st), -1);
	free(bl);
	quit_ok();
}

Test(tui, config_edit_reloads_and_bad_edit_is_shown)
{
	gen("base.jsonl", 0, "--records 200 --executors 4 --seed 1");
	sh("'%s' baseline -o base.yaml base.jsonl", tu_exectop());
	alert_config("base.yaml", "thresholds:\n  execution_time_ms: 900\n");
	gen("run.jsonl", 0, "--records 120 --executors 4 --seed 6 "
	    "--slow D1-Q4:2");
	start(120, 30, NULL, "-c cfg.yaml run.jsonl");
	cr_assert(wait_records(120));
	cr_assert(wait_for("no active regressions"));

	/* Another window lowers the threshold: the alert appears. */
	alert_config("base.yaml", "thresholds:\n  execution_time_ms: 20\n");
	cr_assert(wait_for("config reloaded from cfg.yaml"));
	cr_assert(wait_for("CRIT D1-Q4"));

	/* A broken edit keeps the old config and says where. */
	alert_config("base.yaml", "thresholds:\n  execution_time_ms: lots\n");
	cr_assert(wait_for("cfg.yaml:7: key 'thresholds.execution_time_ms'"));
	cr_expect(wait_for("config: cfg.yaml (error)"));
	cr_expect(wait_for("CRIT D1-Q4"));

	/* Fixed again. */
	alert_config("base.yaml", "thresholds:\n  execution_time_ms: 900\n");
	cr_assert(wait_gone("CRIT D1-Q4"));
	cr_expect(wait_gone("(error)"));
	quit_ok();
}

Test(tui, sighup_reloads_sigterm_exits_0)
{
	char		*pidf = path("pid"), *s, *cmd, *ex = path("exit.txt");
	long		 pid;

	write_text("cfg.yaml", "window: 20\n");
	gen("run.jsonl", 0, "--records 80 --executors 2 --seed 1");
	cmd = tu_fmt("LC_ALL=C.UTF-8 sh -c 'echo $$ > pid; exec \"%s\" -c "
	    "cfg.yaml run.jsonl'; echo EXIT=$? > exit.txt", tu_exectop());
	cr_assert_eq(tmux_start(&fx.tm, 120, 30, fx.dir, cmd), 0);
	free(cmd);
	cr_assert(wait_records(80));
	cr_assert(tu_wait_file(pidf, "\n", WAIT));
	s = tu_read_file(pidf, NULL);
	pid = strtol(s, NULL, 10);
	free(s);
	cr_assert_gt(pid, 1);

	kill((pid_t)pid, SIGHUP);
	cr_assert(wait_for("config reloaded from cfg.yaml"));
	kill((pid_t)pid, SIGTERM);
	cr_assert(tu_wait_file(ex, "EXIT=0", WAIT));
	/* The terminal was given back: the table is gone. */
	cr_expect(wait_gone("EXECUTOR"));
	free(ex);
	free(pidf);
}

/* Whether a process has exited (gone, or a zombie nobody reaps). */
static bool
exited(long pid)
{
	char	*p = tu_fmt("/proc/%ld/stat", pid), *st, *rp;
	bool	 gone;

	st = tu_read_file(p, NULL);
	free(p);
	if (st == NULL)
		return true;
	rp = strrchr(st, ')');
	gone = rp == NULL || rp[1] == '\0' || rp[2] == 'Z' || rp[2] == 'X';
	free(st);
	return gone;
}

Test(tui, terminal_hangup_exits)
{
	char		*pidf = path("pid"), *s, *cmd;
	long		 pid;
	long long	 end;

	gen("run.jsonl", 0, "--records 30 --executors 2 --seed 1");
	cmd = tu_fmt("LC_ALL=C.UTF-8 sh -c 'echo $$ > pid; exec \"%s\" "
	    "run.jsonl'", tu_exectop());
	cr_assert_eq(tmux_start(&fx.tm, 100, 30, fx.dir, cmd), 0);
	free(cmd);
	cr_assert(wait_records(30));
	cr_assert(tu_wait_file(pidf, "\n", WAIT));
	s = tu_read_file(pidf, NULL);
	pid = strtol(s, NULL, 10);
	free(s);
	cr_assert_gt(pid, 1);
	tmux_stop(&fx.tm);	/* the terminal goes away */
	end = tu_now_ms() + WAIT;
	while (!exited(pid) && tu_now_ms() < end)
		tu_sleep_ms(50);
	cr_expect(exited(pid), "exectop %ld still runs without a terminal",
	    pid);
	if (!exited(pid))
		kill((pid_t)pid, SIGKILL);
	free(pidf);
}

Test(tui, ctrl_c_exits_0)
{
	char	*ex = path("exit.txt");

	gen("run.jsonl", 0, "--records 20 --executors 2 --seed 1");
	start(100, 30, NULL, "run.jsonl");
	cr_assert(wait_records(20));
	tmux_keys(&fx.tm, "C-c");
	cr_assert(tu_wait_file(ex, "EXIT=0", WAIT));
	cr_expect(wait_gone("EXECUTOR"));
	free(ex);
}

Test(tui, threshold_editor_w_keeps_comments)
{
	char		*cfg = path("cfg.yaml"), *txt;
	const char	*orig =
	    "# my thresholds, tuned by hand\n"
	    "baseline: \"base.yaml\"\n"
	    "\n"
	    "thresholds:\n"
	    "  execution_time_ms: 20   # keep me\n"
	    "  memory_peak_mb: 30\n"
	    "\n"
	    "# how sure before alarming\n"
	    "significance: 0.05\n"
	    "window: 20\n";

	gen("base.jsonl", 0, "--records 200 --executors 4 --seed 1");
	sh("'%s' baseline -o base.yaml base.jsonl", tu_exectop());
	write_text("cfg.yaml", orig);
	gen("run.jsonl", 0, "--records 120 --executors 4 --seed 2 "
	    "--slow D1-Q2:1.5");
	start(120, 32, NULL, "-c cfg.yaml run.jsonl");
	cr_assert(wait_records(120));
	tmux_keys(&fx.tm, "t");
	cr_assert(wait_for("Threshold editor"));
	cr_assert(wait_for("threshold execution_time_ms"));
	cr_expect(wait_for("ONE STEP UP"));

	/* + raises the threshold 20 -> 25 live, reporting its effect. */
	tmux_keys(&fx.tm, "+");
	cr_assert(wait_for("execution_time_ms 20% -> 25%"));
	cr_expect(wait_for("unsaved changes"));
	/* Enter types an exact value. */
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("new value:"));
	tmux_keys(&fx.tm, "BSpace");
	tmux_keys(&fx.tm, "BSpace");
	tmux_type(&fx.tm, "33");
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("execution_time_ms 25% -> 33%"));
	/* Down to significance (row 8) and down one step. */
	tmux_keys(&fx.tm, "End");
	for (int i = 0; i < 7; i++)
		tmux_keys(&fx.tm, "Down");
	tmux_keys(&fx.tm, "-");
	cr_assert(wait_for("significance 0.05 -> 0.04"));

	tmux_keys(&fx.tm, "w");
	cr_assert(wait_for("thresholds written to cfg.yaml"));
	txt = tu_read_file(cfg, NULL);
	cr_assert_not_null(txt);
	cr_expect_not_null(strstr(txt, "# my thresholds, tuned by hand\n"),
	    "%s", txt);
	cr_expect_not_null(strstr(txt, "  execution_time_ms: 33   # keep me\n"),
	    "%s", txt);
	cr_expect_not_null(strstr(txt, "# how sure before alarming\n"), "%s",
	    txt);
	cr_expect_not_null(strstr(txt, "significance: 0.04\n"), "%s", txt);
	cr_expect_not_null(strstr(txt, "  memory_peak_mb: 30\n"), "%s", txt);
	free(txt);
	cr_expect(wait_gone("unsaved changes"));
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_for("EXECUTOR"));
	free(cfg);
	quit_ok();
}

Test(tui, fifo_writers_come_and_go_no_record_lost)
{
	int	i;

	sh("mkfifo in.fifo");
	start(120, 30, NULL, "in.fifo");
	cr_assert(wait_for("waiting for writer"));
	for (i = 0; i < 5; i++) {
		char	*args = tu_fmt("--records 137 --executors 3 --seed %d",
		    i + 1);

		gen("in.fifo", 0, args);
		free(args);
		cr_assert(wait_records(137LL * (i + 1)));
		/* The writer closed: waiting, not EOF, not spinning. */
		cr_assert(wait_for("waiting for writer"));
	}
	/* One writer that writes in bursts with pauses between. */
	sh("( for s in 11 12 13; do '%s' gen --records 40 --executors 3 "
	    "--seed $s; sleep 0.2; done ) > in.fifo", tu_exectop());
	cr_assert(wait_records(137LL * 5 + 120));
	quit_ok();
}

Test(tui, file_append_truncate_rotate_no_record_lost)
{
	char	*log = path("app.log"), *old = path("app.log.1");

	gen(log, 0, "--records 100 --executors 3 --seed 1");
	start(120, 30, NULL, "app.log");
	cr_assert(wait_records(100));
	/* Appended lines appear. */
	gen(log, 1, "--records 50 --executors 3 --seed 2");
	cr_assert(wait_records(150));
	/* Truncated and rewritten shorter: read again from 0. */
	sh("'%s' gen --records 30 --executors 3 --seed 3 > app.log.tmp && "
	    "cat app.log.tmp > app.log && rm app.log.tmp", tu_exectop());
	cr_assert(wait_records(180));
	/* Rotated: the old file's last lines are drained, the new one read. */
	sh("'%s' gen --records 20 --executors 3 --seed 4 >> app.log && "
	    "mv app.log app.log.1 && '%s' gen --records 40 --executors 3 "
	    "--seed 5 > app.log", tu_exectop(), tu_exectop());
	cr_assert(wait_records(240));
	/* Missing for a while, then back. */
	sh("mv app.log app.log.2");
	cr_assert(wait_for("waiting for file"));
	gen(log, 0, "--records 10 --executors 3 --seed 6");
	cr_assert(wait_records(250));
	free(log);
	free(old);
	quit_ok();
}

Test(tui, resize_to_40x10_and_back)
{
	gen("run.jsonl", 0, "--records 100 --executors 4 --seed 1");
	start(100, 30, NULL, "run.jsonl");
	cr_assert(wait_records(100));
	cr_assert_eq(tmux_resize(&fx.tm, 40, 10), 0);
	cr_assert(wait_for("terminal too small"));
	cr_assert_eq(tmux_resize(&fx.tm, 100, 30), 0);
	cr_assert(wait_for("EXECUTOR"));
	cr_assert(wait_records(100));
	/* Every screen at the smallest size, and shrinking under each. */
	cr_assert_eq(tmux_resize(&fx.tm, 60, 14), 0);
	cr_assert(wait_for("EXECUTOR"));
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("Esc back"));
	cr_assert_eq(tmux_resize(&fx.tm, 59, 14), 0);
	cr_assert(wait_for("terminal too small"));
	cr_assert_eq(tmux_resize(&fx.tm, 60, 14), 0);
	cr_assert(wait_for("Esc back"));
	tmux_keys(&fx.tm, "?");
	cr_assert(wait_for("exectop help"));
	cr_assert_eq(tmux_resize(&fx.tm, 60, 13), 0);
	cr_assert(wait_for("terminal too small"));
	cr_assert_eq(tmux_resize(&fx.tm, 60, 14), 0);
	cr_assert(wait_for("exectop help"));
	tmux_keys(&fx.tm, "Escape");
	tmux_keys(&fx.tm, "Escape");
	tmux_keys(&fx.tm, "t");
	cr_assert(wait_for("Threshold editor"));
	cr_assert_eq(tmux_resize(&fx.tm, 1, 1), 0);
	cr_assert_eq(tmux_resize(&fx.tm, 200, 50), 0);
	cr_assert(wait_for("Threshold editor"));
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_for("Bottlenecks:"));
	quit_ok();
}

Test(tui, stdin_records_keys_from_tty)
{
	char	*cmd, *ex = path("exit.txt");

	cmd = tu_fmt("'%s' gen --records 150 --executors 3 --seed 1 | "
	    "LC_ALL=C.UTF-8 '%s' -; echo EXIT=$? > exit.txt", tu_exectop(),
	    tu_exectop());
	cr_assert_eq(tmux_start(&fx.tm, 120, 30, fx.dir, cmd), 0);
	free(cmd);
	cr_assert(wait_records(150));
	cr_assert(wait_for("[EOF]"));
	tmux_keys(&fx.tm, "p");
	cr_assert(wait_for("PAUSED"));
	tmux_keys(&fx.tm, "q");
	cr_assert(tu_wait_file(ex, "EXIT=0", WAIT));
	free(ex);
}

Test(tui, invalid_records_counted_and_shown)
{
	char	*log = path("run.jsonl");

	gen(log, 0, "--records 5 --executors 1 --seed 1");
	tu_write_file(log, "this is not json\n", 17, 1);
	gen(log, 1, "--records 5 --executors 1 --seed 2");
	start(120, 30, NULL, "run.jsonl");
	cr_assert(wait_records(10));
	cr_assert(wait_for("invalid 1"));
	tmux_keys(&fx.tm, "i");
	cr_assert(wait_for("last invalid: "));
	cr_expect(wait_for(":6 invalid_json"));
	free(log);
	quit_ok();
}

/* Display column where needle starts on the screen line holding it. */
static int
display_col(const char *screen, const char *line_key, const char *needle)
{
	const char	*l = strstr(screen, line_key), *n;
	wchar_t		 wbuf[512];
	char		 prefix[2048];
	size_t		 len;

	if (l == NULL)
		return -1;
	while (l > screen && l[-1] != '\n')
		l--;
	if ((n = strstr(l, needle)) == NULL)
		return -1;
	len = (size_t)(n - l);
	if (len >= sizeof prefix)
		return -1;
	memcpy(prefix, l, len);
	prefix[len] = '\0';
	if (mbstowcs(wbuf, prefix, 512) == (size_t)-1)
		return -1;
	return wcswidth(wbuf, 512);
}

Test(tui, hostile_and_wide_ids_stay_aligned)
{
	char		*log = path("run.jsonl"), *s;
	const char	*lines =
	    "{\"executor_id\":\"\xe6\x89\xa7\xe8\xa1\x8c\xe5\x99\xa8\",\"execution_time_ms\":10}\n"
	    "{\"executor_id\":\"plain\",\"execution_time_ms\":10}\n"
	    "{\"executor_id\":\"\\u001b[31mevil\\u001b]0;pwned\\u0007\",\"execution_time_ms\":10}\n";
	int		 a, b, c;

	setlocale(LC_ALL, "C.UTF-8");
	tu_write_file(log, lines, strlen(lines), 0);
	start(120, 30, NULL, "run.jsonl");
	cr_assert(wait_records(3));
	cr_assert(wait_for("\\x1b[31mevil"));
	s = tmux_capture(&fx.tm);
	cr_expect_null(strstr(s, "pwned\a"));
	/* The RUNS column starts at the same display column for all. */
	a = display_col(s, "\xe6\x89\xa7\xe8\xa1\x8c", "10.0");
	b = display_col(s, " plain ", "10.0");
	c = display_col(s, "evil", "10.0");
	cr_expect_gt(a, 0, "%s", s);
	cr_expect_eq(a, b, "wide id misaligned:\n%s", s);
	cr_expect_eq(b, c, "escaped id misaligned:\n%s", s);
	free(s);
	free(log);
	quit_ok();
}

Test(tui, themes_cycle_and_no_color)
{
	char	*ex = path("exit.txt"), *s;

	gen("run.jsonl", 0, "--records 20 --executors 2 --seed 1");
	start(120, 30, NULL, "run.jsonl");
	cr_assert(wait_records(20));
	tmux_keys(&fx.tm, "c");
	cr_assert(wait_for("theme: light"));
	tmux_keys(&fx.tm, "c");
	cr_assert(wait_for("theme: mono"));
	quit_ok();
	tmux_stop(&fx.tm);
	unlink(ex);

	start(120, 30, "NO_COLOR=1", "run.jsonl");
	cr_assert(wait_records(20));
	tmux_keys(&fx.tm, "c");
	cr_assert(wait_for("colours are off"));
	quit_ok();
	tmux_stop(&fx.tm);
	unlink(ex);

	/* A bad theme file: exit 2 naming file:line. */
	write_text("bad.yaml", "colors:\n  header:\n    fg: chartreuse\n");
	start(120, 30, NULL, "--theme bad.yaml run.jsonl");
	cr_assert(tu_wait_file(ex, "EXIT=2", WAIT));
	s = path("err.txt");
	cr_expect(tu_wait_file(s, "bad.yaml:3:", WAIT));
	cr_expect(tu_wait_file(s, "chartreuse", WAIT));
	free(s);
	free(ex);
}

/* An xterm (X10) mouse press and release at 0-based x, y. */
static void
click(int x, int y)
{
	char	seq[8];

	snprintf(seq, sizeof seq, "\033[M%c%c%c", 32 + 0, 33 + x, 33 + y);
	tmux_type(&fx.tm, seq);
	snprintf(seq, sizeof seq, "\033[M%c%c%c", 32 + 3, 33 + x, 33 + y);
	tmux_type(&fx.tm, seq);
}

/* 0-based column of text on its line. */
static int
col_of(const char *screen, const char *text)
{
	const char	*p = strstr(screen, text), *l;

	if (p == NULL)
		return -1;
	for (l = p; l > screen && l[-1] != '\n'; l--)
		;
	return (int)(p - l);
}

Test(tui, mouse_click_sorts_and_selects)
{
	char	*s;
	int	 y, x;

	gen("run.jsonl", 0, "--records 100 --executors 10 --seed 1");
	start(120, 30, NULL, "run.jsonl");
	cr_assert(wait_records(100));
	s = tmux_capture(&fx.tm);
	y = line_of(s, "EXECUTOR");
	x = col_of(s, "AVG ms");
	free(s);
	cr_assert_geq(y, 0);
	cr_assert_geq(x, 0);
	click(x + 1, y);
	cr_assert(wait_for("sort: AVG ms"));
	click(x + 1, y);
	cr_assert(wait_for("sort: AVG ms (reversed)"));

	/* A click selects a row, a second one opens it. */
	s = tmux_capture(&fx.tm);
	y = line_of(s, " D1-Q3 ");
	free(s);
	cr_assert_gt(y, 0);
	click(5, y);
	tmux_keys(&fx.tm, "C-l");
	click(5, y);
	cr_assert(wait_for("Methods:"));
	cr_expect(wait_for(" D1-Q3 "));
	s = tmux_capture(&fx.tm);
	cr_expect_eq(line_of(s, "D1-Q3"), draw_title_line(s), "%s", s);
	free(s);
	quit_ok();
}

Test(tui, no_mouse_ignores_clicks)
{
	char	*s;
	int	 y, x;

	gen("run.jsonl", 0, "--records 50 --executors 5 --seed 1");
	start(120, 30, NULL, "--no-mouse run.jsonl");
	cr_assert(wait_records(50));
	s = tmux_capture(&fx.tm);
	y = line_of(s, "EXECUTOR");
	x = col_of(s, "AVG ms");
	free(s);
	click(x + 1, y);
	tmux_keys(&fx.tm, "?");
	cr_assert(wait_for("exectop help"));
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_for("sort: SCORE"));
	quit_ok();
}

Test(tui, refuses_unusable_terminals)
{
	char	*cmd, *err = NULL, *ex = path("exit.txt"), *ef = path("err.txt");
	int	 rc;

	gen("run.jsonl", 0, "--records 5 --executors 1 --seed 1");
	/* stdout not a terminal. */
	cmd = tu_fmt("cd '%s' && '%s' run.jsonl > out.txt", fx.dir,
	    tu_exectop());
	rc = tu_run(cmd, NULL, &err);
	cr_expect_eq(rc, 2);
	cr_expect_not_null(strstr(err, "not a terminal"), "%s", err);
	free(cmd);
	free(err);

	/* TERM=dumb, and TERM unset, inside a real terminal. */
	start(120, 30, "TERM=dumb", "run.jsonl");
	cr_assert(tu_wait_file(ex, "EXIT=2", WAIT));
	cr_expect(tu_wait_file(ef, "'dumb'", WAIT));
	tmux_stop(&fx.tm);
	unlink(ex);
	start(120, 30, "env -u TERM", "run.jsonl");
	cr_assert(tu_wait_file(ex, "EXIT=2", WAIT));
	cr_expect(tu_wait_file(ef, "TERM unset", WAIT));
	free(ef);
	free(ex);
}

/* Drops every line holding the stamp ("Generated", "timestamp", the
 * HTML <title>: the one part of
 * a snapshot that differs from a report written a moment later). */
static char *
strip_stamp(const char *s)
{
	char		*out = calloc(1, strlen(s) + 1), *o = out;
	const char	*l = s, *e;

	cr_assert_not_null(out);
	while (*l != '\0') {
		e = strchr(l, '\n');
		e = e == NULL ? l + strlen(l) : e + 1;
		if (memmem(l, e - l, "Generated", 9) == NULL &&
		    memmem(l, e - l, "timestamp", 9) == NULL &&
		    memmem(l, e - l, "<title>", 7) == NULL) {
			memcpy(o, l, e - l);
			o += e - l;
		}
		l = e;
	}
	return out;
}

/* Issue 12 (High 1): under a comma-decimal locale the TUI's snapshot is
 * byte-identical to `exectop report` (stamp aside) and the threshold
 * editor takes "0.01". */
Test(tui, comma_locale_snapshot_equals_report)
{
	glob_t	 g;
	char	*pat, *out = NULL, *err = NULL, *cmd, *a, *b, *sa, *sb;
	size_t	 i;
	int	 rc;
	static const char *ext[] = { "md", "html" };

	if (newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0) == (locale_t)0)
		cr_skip_test("no de_DE.UTF-8 locale (.ci/deps.sh test makes it)");
	gen("base.jsonl", 0, "--records 200 --executors 4 --seed 1");
	sh("'%s' baseline -o base.yaml base.jsonl", tu_exectop());
	alert_config("base.yaml", "snapshot:\n  dir: snaps\n");
	gen("run.jsonl", 0, "--records 120 --executors 4 --seed 5 "
	    "--slow D1-Q3:2.5");
	start(120, 30, "LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8",
	    "-c cfg.yaml run.jsonl");
	cr_assert(wait_records(120));
	tmux_keys(&fx.tm, "s");
	cr_assert(wait_for("snapshot: snaps/exectop-"));
	for (i = 0; i < 2; i++) {
		pat = tu_fmt("%s/snaps/exectop-*.%s", fx.dir, ext[i]);
		cr_assert_eq(glob(pat, 0, NULL, &g), 0);
		a = tu_read_file(g.gl_pathv[0], NULL);
		cmd = tu_fmt("cd '%s' && '%s' report -c cfg.yaml --fail-on "
		    "never --format %s -o rep.%s run.jsonl", fx.dir,
		    tu_exectop(), ext[i], ext[i]);
		rc = tu_run(cmd, &out, &err);
		cr_assert_eq(rc, 0, "%s", err);
		free(cmd);
		cmd = tu_fmt("%s/rep.%s", fx.dir, ext[i]);
		b = tu_read_file(cmd, NULL);
		sa = strip_stamp(a);
		sb = strip_stamp(b);
		cr_expect_str_eq(sa, sb, "snapshot .%s differs from report",
		    ext[i]);
		free(sa); free(sb); free(a); free(b); free(cmd); free(pat);
		free(out); free(err);
		out = err = NULL;
		globfree(&g);
	}
	/* The threshold editor reads "12.5" with a point. */
	tmux_keys(&fx.tm, "t");
	cr_assert(wait_for("threshold execution_time_ms"));
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("new value:"));
	tmux_type(&fx.tm, "12.5");
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("-> 12.5%"));
	tmux_keys(&fx.tm, "Escape");
	cr_assert(wait_for("EXECUTOR"));
	/* The edit is unsaved: q asks, d discards and quits. */
	tmux_keys(&fx.tm, "q");
	cr_assert(wait_for("unsaved threshold changes"));
	quit_key_ok("d");
}

/* Issue 12 (High 2, Medium 3): a source that does not exist yet and then
 * appears as a FIFO never blocks the UI (keys still work, q quits), and
 * a FIFO deleted and made again under the same name is reopened. */
Test(tui, late_fifo_never_blocks_and_recreated_fifo_is_read)
{
	start(120, 30, NULL, "late.fifo");
	cr_assert(wait_for("EXECUTOR"));
	sh("mkfifo late.fifo");
	tu_sleep_ms(1500);	/* several reopen ticks with no writer */
	tmux_keys(&fx.tm, "/");
	cr_assert(wait_for("filter: _"), "UI blocked on a FIFO open");
	tmux_keys(&fx.tm, "Escape");
	gen("late.fifo", 0, "--records 50 --executors 3 --seed 1");
	cr_assert(wait_records(50));
	sh("rm late.fifo && mkfifo late.fifo");
	gen("late.fifo", 0, "--records 30 --executors 3 --seed 2");
	cr_assert(wait_records(80), "records of the recreated FIFO lost");
	quit_ok();
}

/* Issue 12 (Medium 8): after SIGSTOP, the terminal reset to cooked mode
 * (as a shell does) and SIGCONT, keys work again without Enter. */
Test(tui, sigcont_restores_curses_mode)
{
	char	*pidf = path("pid"), *s, *cmd;
	long	 pid;

	gen("run.jsonl", 0, "--records 80 --executors 2 --seed 1");
	cmd = tu_fmt("LC_ALL=C.UTF-8 sh -c 'echo $$ > pid; tty > tty.txt; "
	    "exec \"%s\" run.jsonl'; echo EXIT=$? > exit.txt", tu_exectop());
	cr_assert_eq(tmux_start(&fx.tm, 120, 30, fx.dir, cmd), 0);
	free(cmd);
	cr_assert(wait_records(80));
	cr_assert(tu_wait_file(pidf, "\n", WAIT));
	s = tu_read_file(pidf, NULL);
	pid = strtol(s, NULL, 10);
	free(s);
	cr_assert_gt(pid, 1);
	kill((pid_t)pid, SIGSTOP);
	sh("stty sane < \"$(cat tty.txt)\"");
	kill((pid_t)pid, SIGCONT);
	tu_sleep_ms(500);
	tmux_keys(&fx.tm, "/");
	cr_assert(wait_for("filter: _"), "key needed Enter after SIGCONT");
	tmux_keys(&fx.tm, "Escape");
	free(pidf);
	quit_ok();
}

/* Issue 12 (High 2): a config path that became a FIFO with no writer
 * does not hang the reload: the UI answers and q quits. */
Test(tui, reload_of_a_fifo_config_never_blocks)
{
	write_text("cfg.yaml", "window: 20\n");
	gen("run.jsonl", 0, "--records 80 --executors 2 --seed 1");
	start(120, 30, NULL, "-c cfg.yaml run.jsonl");
	cr_assert(wait_records(80));
	sh("rm cfg.yaml && mkfifo cfg.yaml");
	tmux_keys(&fx.tm, "R");
	tu_sleep_ms(500);
	tmux_keys(&fx.tm, "/");
	cr_assert(wait_for("filter: _"), "UI blocked opening the config");
	tmux_keys(&fx.tm, "Escape");
	quit_ok();
}

/*
 * A negative baseline mean (memory footprint is end minus start): the
 * detail view's delta is relative to |mean| like the analysis's, so
 * -9.5 MB against -10 MB is +5.0%, as analysis and reports compute it
 * (metric_delta_percent; issue 11).
 */
Test(tui, detail_delta_keeps_sign_with_negative_baseline)
{
	char	*s, *l, *p = path("run.jsonl");
	FILE	*fp;
	int	 i;

	fp = fopen(p, "w");
	cr_assert_not_null(fp);
	for (i = 0; i < 60; i++)
		fprintf(fp, "{\"executor_id\": \"NEG\", \"execution_time_ms\": "
		    "%s, \"memory_footprint_mb\": %s, \"success\": true}\n",
		    i % 2 ? "10.1" : "9.9", i % 2 ? "-9.4" : "-9.6");
	fclose(fp);
	free(p);
	write_text("base.yaml", "version: 1\nexecutors:\n  \"NEG\":\n"
	    "    execution_time_ms: {n: 60, mean: 10, variance: 0.01, "
	    "min: 9.9, max: 10.1, p50: 10, p95: 10.1}\n"
	    "    memory_footprint_mb: {n: 60, mean: -10, variance: 0.01, "
	    "min: -10.1, max: -9.9, p50: -10, p95: -9.9}\n");
	start(130, 32, NULL, "-b base.yaml run.jsonl");
	cr_assert(wait_records(60));
	tmux_keys(&fx.tm, "Home");
	tmux_keys(&fx.tm, "Enter");
	cr_assert(wait_for("now avg"));
	s = tmux_capture(&fx.tm);
	l = strstr(s, "memory footprint MB");
	cr_assert_not_null(l, "%s", s);
	*strchrnul(l, '\n') = '\0';
	cr_expect_not_null(strstr(l, "+5.0%"), "detail line: %s", l);
	free(s);
	quit_ok();

}

/*
 * Issue 13 item 7: AVG is over every run, the alerts over the window; the
 * NOW column shows the window mean, the number the alert compares.
 * 10 runs of 100 ms then 50 of ~10 ms: AVG 25.0, NOW and the alert 10.0.
 */
Test(tui, now_column_is_the_alerts_window_mean)
{
	char	*s, *l, *p = path("run.jsonl");
	FILE	*fp;
	int	 i;

	fp = fopen(p, "w");
	cr_assert_not_null(fp);
	for (i = 0; i < 60; i++)
		fprintf(fp, "{\"executor_id\": \"W1\", \"execution_time_ms\": "
		    "%s, \"success\": true}\n",
		    i < 10 ? "100" : i % 2 ? "10.1" : "9.9");
	fclose(fp);
	free(p);
	write_text("base.yaml", "version: 1\nexecutors:\n  \"W1\":\n"
	    "    execution_time_ms: {n: 60, mean: 5, variance: 0.01, "
	    "min: 4.9, max: 5.1, p50: 5, p95: 5.1}\n");
	start(130, 32, NULL, "-b base.yaml run.jsonl");
	cr_assert(wait_records(60));
	cr_assert(wait_for("NOW ms"));
	cr_assert(wait_for("CRIT W1"));
	s = tmux_capture(&fx.tm);
	l = table_line(s, "W1");
	cr_assert_not_null(l, "%s", s);
	cr_expect_not_null(strstr(l, " 25.0 "), "AVG over every run: %s", l);
	cr_expect_not_null(strstr(l, " 10.0 "), "NOW over the window: %s", l);
	free(l);
	cr_expect_not_null(strstr(s, "→ 10.0 ms"), "alert: %s", s);
	free(s);
	quit_ok();
}

/*
 * Issue 13 item 8: a status message wider than the terminal is not cut;
 * it takes the line above too.  The snapshot message names three files
 * (~105 columns) on an 80-column screen: the last name is readable.
 */
Test(tui, long_status_message_shown_in_full)
{
	write_text("cfg.yaml", "snapshot:\n  dir: snaps\n");
	gen("run.jsonl", 0, "--records 50 --executors 3 --seed 1");
	start(80, 24, NULL, "-c cfg.yaml run.jsonl");
	cr_assert(wait_records(50));
	tmux_keys(&fx.tm, "s");
	cr_assert(wait_for("snapshot: snaps/exectop-"));
	cr_expect(wait_for(".html"), "the end of the message is shown");
	quit_ok();
}
