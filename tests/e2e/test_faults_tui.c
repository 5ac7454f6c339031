/*
 * test_faults_tui.c - issue 5, cases 8, 10 and 11 for the live TUI, and
 * the soak: the real binary in a private tmux server (tests/lib/tmux.h).
 *
 *   - a SIGWINCH storm (thousands of signals, dozens of real resizes)
 *     while records stream in: no crash, no record lost;
 *   - after every FIFO writer has left, exectop waits on poll() and uses
 *     (almost) no CPU: POLLHUP must not turn into a busy loop;
 *   - a snapshot that cannot be written says why in the status line,
 *     leaves no file behind, and the TUI goes on;
 *   - the soak: SOAK_RECORDS records (300,000 by default, 5,000,000 with
 *     `make soak`) through one FIFO from a writer restarted every few
 *     thousand records, 1% bad lines of every kind; at the end every good
 *     record is counted exactly once, every bad line under its reason,
 *     and the resident set stayed flat after the warm-up.
 *
 * Counts are read from a snapshot (`s`, JSON), never from the screen.
 * Nothing waits on time: every step polls for what it expects, with a
 * generous timeout; CPU use is compared with the time it was measured
 * over.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "tmux.h"

#define WAIT	30000	/* ms: the longest any ordinary step may take */

static char		*dir;
static struct tmux	 tm;
static pid_t		 tui_pid;

static void
setup(void)
{
	cr_assert(tmux_available(), "tmux is needed for these tests");
	cr_assert_eq(tu_export_exectop(), 0, "no exectop binary at %s",
	    tu_exectop());
	memset(&tm, 0, sizeof tm);
	dir = tu_tmpdir();
	tui_pid = -1;
	signal(SIGPIPE, SIG_IGN);
}

static void
teardown(void)
{
	char	*m;

	tmux_stop(&tm);
	m = tu_fmt("%s/full", dir);
	umount2(m, MNT_DETACH);
	free(m);
	tu_rmtree(dir);
	free(dir);
}

TestSuite(faults_tui, .init = setup, .fini = teardown, .timeout = 180);

static char *
path(const char *name)
{
	return tu_fmt("%s/%s", dir, name);
}

static void
write_text(const char *name, const char *text)
{
	char	*p = path(name);

	tu_write_file(p, text, strlen(text), 0);
	free(p);
}

/* Starts `exectop ARGS` in the test directory inside tmux; remembers its
 * pid; its exit status goes to exit.txt. */
static void
start(int w, int h, const char *args)
{
	char	*cmd, *pidf = path("pid"), *s;

	unlink(pidf);
	cmd = tu_fmt("LC_ALL=C.UTF-8 XDG_CONFIG_HOME='%s' sh -c 'echo $$ > pid; "
	    "exec \"%s\" %s 2>err.txt'; echo EXIT=$? > exit.txt", dir,
	    tu_exectop(), args);
	cr_assert_eq(tmux_start(&tm, w, h, dir, cmd), 0);
	free(cmd);
	cr_assert(tu_wait_file(pidf, "\n", WAIT));
	s = tu_read_file(pidf, NULL);
	tui_pid = (pid_t)strtol(s, NULL, 10);
	free(s);
	free(pidf);
	cr_assert_gt(tui_pid, 1);
}

static void
quit_ok(void)
{
	char	*p = path("exit.txt");

	tmux_keys(&tm, "q");
	cr_assert(tu_wait_file(p, "EXIT=0", WAIT), "q should exit 0");
	free(p);
}

/* The "records N" count of the header, -1 when not on screen. */
static bool
records_are(const char *screen, void *want)
{
	const char	*p = strstr(screen, " records ");

	return p != NULL && strtoll(p + 9, NULL, 10) == *(long long *)want;
}

static bool
records_at_least(const char *screen, void *want)
{
	const char	*p = strstr(screen, " records ");

	return p != NULL && strtoll(p + 9, NULL, 10) >= *(long long *)want;
}

/* Removes every snapshot, presses s, waits for the new JSON one and
 * returns it parsed (NULL on a timeout). */
static json_t *
snapshot(void)
{
	char	*pat = path("snaps/exectop-*.json");
	glob_t	 g;
	json_t	*j = NULL;
	size_t	 i;
	long long end = tu_now_ms() + WAIT;

	if (glob(pat, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			unlink(g.gl_pathv[i]);
		globfree(&g);
	}
	tmux_keys(&tm, "s");
	while (tu_now_ms() < end) {
		if (glob(pat, 0, NULL, &g) == 0) {
			if (g.gl_pathc > 0)
				j = json_load_file(g.gl_pathv[0], 0, NULL);
			globfree(&g);
			if (j != NULL)
				break;
		}
		tu_sleep_ms(50);
	}
	free(pat);
	return j;
}

static long long
jint(json_t *o, const char *p)
{
	char	buf[256], *tok, *save;
	json_t	*v = o;

	snprintf(buf, sizeof buf, "%s", p);
	for (tok = strtok_r(buf, ".", &save); tok != NULL;
	    tok = strtok_r(NULL, ".", &save))
		v = json_object_get(v, tok);
	cr_assert(json_is_integer(v), "%s is not an integer", p);
	return json_integer_value(v);
}

/* Process CPU ticks (user + system), -1 when gone. */
static long
cpu_ticks(pid_t pid)
{
	char	*p = tu_fmt("/proc/%d/stat", (int)pid), *st, *rp;
	long	 ut = -1, stime = -1;

	st = tu_read_file(p, NULL);
	free(p);
	if (st == NULL)
		return -1;
	rp = strrchr(st, ')');
	if (rp != NULL)
		sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		    "%ld %ld", &ut, &stime);
	free(st);
	return ut < 0 ? -1 : ut + stime;
}

/* Resident set of a process in KB, -1 when gone. */
static long
rss_kb(pid_t pid)
{
	char	*p = tu_fmt("/proc/%d/status", (int)pid), *st, *l;
	long	 kb = -1;

	st = tu_read_file(p, NULL);
	free(p);
	if (st == NULL)
		return -1;
	if ((l = strstr(st, "\nVmRSS:")) != NULL)
		kb = strtol(l + 7, NULL, 10);
	free(st);
	return kb;
}

/* A writer process: n records of executor id from seq, then exits. */
static pid_t
writer(const char *fifo, const char *id, long seq, long n)
{
	pid_t	pid = fork();
	char	buf[4096];
	size_t	len = 0;
	long	i;
	int	fd;

	cr_assert_neq(pid, -1);
	if (pid != 0)
		return pid;
	if ((fd = tu_open_writer(fifo)) == -1)
		_exit(1);
	for (i = 0; i < n; i++) {
		if (len > sizeof buf - 128) {
			tu_write_all(fd, buf, len);
			len = 0;
		}
		len += (size_t)snprintf(buf + len, sizeof buf - len,
		    "{\"executor_id\":\"%s\",\"execution_time_ms\":%ld}\n", id,
		    seq + i);
	}
	tu_write_all(fd, buf, len);
	_exit(0);
}

static void
reap(pid_t pid)
{
	int	status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Case 11: a SIGWINCH storm and real resizes while records stream in. */
Test(faults_tui, sigwinch_storm)
{
	char		*fifo = path("in.fifo");
	long long	 want = 20000;
	pid_t		 w;
	json_t		*j;
	int		 i;

	write_text("cfg.yaml", "snapshot:\n  dir: snaps\n  formats: [json]\n");
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	start(120, 30, "-c cfg.yaml in.fifo");
	cr_assert(tmux_wait_for(&tm, "waiting for writer", WAIT));
	w = writer(fifo, "W", 0, 20000);
	for (i = 0; i < 3000; i++) {
		cr_assert_eq(kill(tui_pid, SIGWINCH), 0, "exectop died during "
		    "the storm (after %d signals)", i);
		if (i % 100 == 0)
			tmux_resize(&tm, 30 + (i * 7) % 170, 8 + (i * 3) % 50);
	}
	reap(w);
	tmux_resize(&tm, 120, 30);
	cr_assert(tmux_wait_until(&tm, records_are, &want, WAIT));
	j = snapshot();
	cr_assert_not_null(j, "no snapshot");
	cr_assert_eq(jint(j, "total_runs"), 20000);
	cr_assert_eq(jint(j, "invalid_records.total"), 0);
	json_decref(j);
	quit_ok();
	free(fifo);
}

/* Case 11: SIGTERM and SIGINT while records pour in: the terminal is
 * given back (the table leaves the screen) and the exit status is 0. */
Test(faults_tui, sigterm_sigint_during_ingest_restore_terminal)
{
	static const int	 sigs[] = { SIGTERM, SIGINT };
	char			*fifo = path("in.fifo"), *ex = path("exit.txt");
	long long		 some = 1;
	pid_t			 w;
	size_t			 i;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	for (i = 0; i < 2; i++) {
		unlink(ex);
		start(120, 30, "in.fifo");
		cr_assert(tmux_wait_for(&tm, "waiting for writer", WAIT));
		w = writer(fifo, "W", 0, 5000000);
		/* Some records are in: it is busy ingesting. */
		cr_assert(tmux_wait_until(&tm, records_at_least, &some, WAIT));
		cr_assert_eq(kill(tui_pid, sigs[i]), 0);
		cr_assert(tu_wait_file(ex, "EXIT=0", WAIT), "signal %d: no "
		    "clean exit", sigs[i]);
		cr_assert(tmux_wait_gone(&tm, "EXECUTOR", WAIT));
		/* The writer meets a closed pipe and stops. */
		kill(w, SIGKILL);
		waitpid(w, NULL, 0);
		tmux_stop(&tm);
	}
	free(fifo);
	free(ex);
}

/* Case 8: writers come and go; once the last has gone, the TUI waits
 * without spinning (its CPU time over ~2 s of waiting is compared with
 * those 2 s: a POLLHUP busy loop would use all of it). */
Test(faults_tui, idle_after_writers_leave_uses_no_cpu)
{
	char		*fifo = path("in.fifo");
	long long	 want;
	long		 c0, c1, hz = sysconf(_SC_CLK_TCK);
	long long	 t0, t1;
	int		 round;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	start(120, 30, "in.fifo");
	cr_assert(tmux_wait_for(&tm, "waiting for writer", WAIT));
	for (round = 0; round < 3; round++) {
		reap(writer(fifo, "W", round * 500, 500));
		want = (round + 1) * 500;
		cr_assert(tmux_wait_until(&tm, records_are, &want, WAIT));
		cr_assert(tmux_wait_for(&tm, "waiting for writer", WAIT));
	}
	tu_sleep_ms(300);
	c0 = cpu_ticks(tui_pid);
	t0 = tu_now_ms();
	tu_sleep_ms(2000);
	c1 = cpu_ticks(tui_pid);
	t1 = tu_now_ms();
	cr_assert_geq(c0, 0, "exectop is gone");
	cr_assert_leq(c1 - c0, (t1 - t0) * hz / 1000 / 10, "%ld CPU ticks in "
	    "%lld ms of waiting", c1 - c0, t1 - t0);
	/* And it still takes the next writer. */
	reap(writer(fifo, "W", 1500, 10));
	want = 1510;
	cr_assert(tmux_wait_until(&tm, records_are, &want, WAIT));
	quit_ok();
	free(fifo);
}

/* Entries of a directory (0 when it does not exist). */
static int
count_entries(const char *p)
{
	DIR		*d = opendir(p);
	struct dirent	*de;
	int		 n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Case 10: a snapshot into a directory that cannot be created, then
 * into a full filesystem: the status line says why, no file is left,
 * the TUI goes on. */
Test(faults_tui, snapshot_failure_shown_in_status_line)
{
	char	*full = path("full"), *cmd;
	int	 i;

	write_text("plain", "a file, not a directory\n");
	write_text("cfg.yaml", "snapshot:\n  dir: plain/snaps\n");
	cmd = tu_fmt("'%s' gen --records 2000 --executors 500 > run.jsonl",
	    tu_exectop());
	{
		char	*full_cmd = tu_fmt("cd '%s' && %s", dir, cmd);

		cr_assert_eq(tu_run(full_cmd, NULL, NULL), 0);
		free(full_cmd);
	}
	free(cmd);
	start(160, 40, "-c cfg.yaml run.jsonl");
	{
		long long want = 2000;

		cr_assert(tmux_wait_until(&tm, records_are, &want, WAIT));
	}
	tmux_keys(&tm, "s");
	cr_assert(tmux_wait_for(&tm, "snapshot failed", WAIT));
	cr_assert(tmux_wait_for(&tm, "Not a directory", WAIT));
	quit_ok();
	tmux_stop(&tm);

	/* A full disk, where mounting a small tmpfs is allowed. */
	cr_assert_eq(mkdir(full, 0755), 0);
	if (mount("tmpfs", full, "tmpfs", 0, "size=16k") != 0) {
		free(full);
		cr_skip_test("cannot mount a tmpfs: %s", strerror(errno));
	}
	write_text("cfg.yaml", "snapshot:\n  dir: full\n");
	unlink(path("exit.txt"));
	start(160, 40, "-c cfg.yaml run.jsonl");
	{
		long long want = 2000;

		cr_assert(tmux_wait_until(&tm, records_are, &want, WAIT));
	}
	for (i = 0; i < 2; i++) {
		tmux_keys(&tm, "s");
		cr_assert(tmux_wait_for(&tm, "No space left on device", WAIT));
		tmux_keys(&tm, "C-l");
	}
	cr_assert(tmux_wait_for(&tm, "EXECUTOR", WAIT));
	/* Formats written before the failing one may stay (each file is
	 * whole); no temporary file may. */
	{
		DIR		*d = opendir(full);
		struct dirent	*de;

		cr_assert_not_null(d);
		while ((de = readdir(d)) != NULL)
			cr_assert_null(strstr(de->d_name, ".tmp"),
			    "temporary file %s left", de->d_name);
		closedir(d);
	}
	quit_ok();
	(void)count_entries;
	umount2(full, MNT_DETACH);
	free(full);
}

/* ------------------------------------------------------------------
 * The soak.
 */

/* Bad lines by reason: what the soak writes in place of 1% of records. */
static const struct {
	const char	*reason;
	const char	*line;
} soak_bad[] = {
	{ "invalid_json", "{\"executor_id\":\"S0\",\"execution_time_ms\":" },
	{ "not_object", "[\"S0\",1]" },
	{ "missing_executor_id", "{\"execution_time_ms\":1}" },
	{ "invalid_executor_id", "{\"executor_id\":\"\"}" },
	{ "wrong_type", "{\"executor_id\":\"S0\",\"execution_time_ms\":\"1\"}" },
	{ "out_of_range", "{\"executor_id\":\"S0\",\"execution_time_ms\":-1}" },
	{ "line_too_long", NULL },	/* 3000 bytes, the limit is 1024 */
};
#define NBAD (sizeof soak_bad / sizeof soak_bad[0])
#define SOAK_EXECUTORS 10

/*
 * Writes records [from, to) of the soak stream to the FIFO: record k is
 * bad when k % 100 == 99 (kind (k / 100) % NBAD), else good for executor
 * S<k % 10> with execution_time_ms k.  Whole lines per write(), at most
 * PIPE_BUF bytes each, so a restart never tears a line.
 */
static void
soak_writer(const char *fifo, long from, long to)
{
	char	buf[4096], big[3001];
	size_t	len = 0, n;
	long	k;
	int	fd;

	memset(big, 'x', 3000);
	big[0] = '"';
	big[2999] = '"';
	big[3000] = '\0';
	if ((fd = tu_open_writer(fifo)) == -1)
		_exit(1);
	for (k = from; k < to; k++) {
		const char	*bad = NULL;
		char		 line[160];

		if (k % 100 == 99) {
			bad = soak_bad[(k / 100) % NBAD].line;
			if (bad == NULL)
				bad = big;
			n = strlen(bad);
		} else
			n = (size_t)snprintf(line, sizeof line,
			    "{\"executor_id\":\"S%ld\",\"execution_time_ms\":%ld,"
			    "\"memory_footprint_mb\":%ld.5}", k % SOAK_EXECUTORS,
			    k, k % 7);
		if (len + n + 1 > sizeof buf) {
			tu_write_all(fd, buf, len);
			len = 0;
		}
		if (n + 1 > sizeof buf) {
			tu_write_all(fd, bad, n);	/* only the long line */
			tu_write_all(fd, "\n", 1);
			continue;
		}
		memcpy(buf + len, bad != NULL ? bad : line, n);
		len += n;
		buf[len++] = '\n';
	}
	tu_write_all(fd, buf, len);
	_exit(0);
}

static long
soak_records(void)
{
	const char	*e = getenv("SOAK_RECORDS");
	long		 n = e != NULL ? strtol(e, NULL, 10) : 0;

	return n >= 10000 ? n : 300000;
}

Test(faults_tui, soak, .timeout = 1200)
{
	char		*fifo = path("in.fifo");
	long		 total = soak_records(), chunk, from, k, bad_total = 0;
	long		 bad_by[NBAD] = { 0 }, runs[SOAK_EXECUTORS] = { 0 };
	long		 rss[1024], warm_rss, max_after = 0, restarts = 0;
	int		 nrss = 0, i;
	pid_t		 w, prev = -1;
	json_t		*j = NULL, *e;
	long long	 end;
	size_t		 idx;

	write_text("cfg.yaml", "snapshot:\n  dir: snaps\n  formats: [json]\n"
	    "limits:\n  max_line_bytes: 1024\n");
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	start(120, 30, "-c cfg.yaml in.fifo");
	cr_assert(tmux_wait_for(&tm, "waiting for writer", WAIT));

	/* A writer restart every 20,000 records (at least 30 writers), one
	 * after another; every third one starts before the previous has
	 * finished. */
	chunk = total / 30 < 20000 ? total / 30 : 20000;
	for (from = 0; from < total; from += chunk) {
		long to = from + chunk < total ? from + chunk : total;

		w = fork();
		cr_assert_neq(w, -1);
		if (w == 0)
			soak_writer(fifo, from, to);
		restarts++;
		if (restarts % 3 != 0) {
			reap(w);
		} else {
			if (prev != -1)
				reap(prev);
			prev = w;
			continue;
		}
		if (prev != -1) {
			reap(prev);
			prev = -1;
		}
		if (nrss < 1024)
			rss[nrss++] = rss_kb(tui_pid);
		cr_assert_gt(rss[nrss - 1], 0, "exectop is gone");
	}
	if (prev != -1)
		reap(prev);

	for (k = 0; k < total; k++) {
		if (k % 100 == 99) {
			bad_by[(k / 100) % NBAD]++;
			bad_total++;
		} else
			runs[k % SOAK_EXECUTORS]++;
	}

	/* Wait until everything is in (the snapshot counts it). */
	end = tu_now_ms() + 600000;
	while (tu_now_ms() < end) {
		j = snapshot();
		cr_assert_not_null(j, "no snapshot");
		if (jint(j, "total_runs") + jint(j, "invalid_records.total") >=
		    total)
			break;
		json_decref(j);
		j = NULL;
		tu_sleep_ms(500);
	}
	cr_assert_not_null(j, "the records did not all arrive");
	fprintf(stderr, "soak: %ld records (%ld bad) through %ld writer "
	    "restarts\n", total, bad_total, restarts);

	/* Every good record exactly once, every bad line by its reason. */
	cr_assert_eq(jint(j, "total_runs"), total - bad_total);
	cr_assert_eq(jint(j, "invalid_records.total"), bad_total);
	for (i = 0; i < (int)NBAD; i++) {
		char	*key = tu_fmt("invalid_records.%s", soak_bad[i].reason);

		cr_assert_eq(jint(j, key), bad_by[i], "%s: %lld, want %ld",
		    soak_bad[i].reason, jint(j, key), bad_by[i]);
		free(key);
	}
	cr_assert_eq(jint(j, "total_executors"), SOAK_EXECUTORS);
	json_array_foreach(json_object_get(j, "executors"), idx, e) {
		const char	*id = json_string_value(json_object_get(e,
				    "executor_id"));
		int		 x = atoi(id + 1);

		cr_assert_eq(jint(e, "runs"), runs[x], "%s: %lld runs, want %ld",
		    id, jint(e, "runs"), runs[x]);
		cr_assert_eq(jint(e, "failures"), 0);
	}
	json_decref(j);

	/* Flat after the warm-up (the first quarter of the writers): the
	 * largest later sample within 2 MB + 2% of the one at the end of
	 * the warm-up. */
	cr_assert_geq(nrss, 8);
	warm_rss = rss[nrss / 4];
	for (i = nrss / 4; i < nrss; i++)
		if (rss[i] > max_after)
			max_after = rss[i];
	fprintf(stderr, "soak: RSS %ld KB at first sample, %ld KB after "
	    "warm-up, %ld KB max after, %ld KB at the end\n", rss[0],
	    warm_rss, max_after, rss[nrss - 1]);
	if (!tu_sanitized())	/* ASan's quarantine grows to 256 MB */
		cr_assert_leq(max_after, warm_rss + 2048 + warm_rss / 50,
		    "RSS grew from %ld KB to %ld KB after the warm-up",
		    warm_rss, max_after);
	quit_ok();
	free(fifo);
}
