/*
 * test_faults_fifo.c - issue 5, case 8: named FIFOs under stress, with
 * real FIFOs and real writer processes.  Eight concurrent writers lose
 * and interleave nothing; lines longer than the pipe's atomic size that
 * get torn by another writer are counted as bad, never merged into a
 * record; a last line without a newline is counted; writers restarting
 * hundreds of times lose nothing; and exectop waiting for a writer uses
 * (almost) no CPU, in the library and in the real binary.
 *
 * test_ingest.c covers the basic FIFO behaviour (no writer yet, writers
 * coming and going, a partial last record); this file adds the load.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "model.h"
#include "record.h"
#include "testutil.h"

static char	*fifo;

static void
setup(void)
{
	tu_dir_setup_isolated();
	fifo = tu_path("in.fifo");
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	signal(SIGPIPE, SIG_IGN);
}

static void
teardown(void)
{
	tu_dir_teardown();
	free(fifo);
}

TestSuite(faults_fifo, .init = setup, .fini = teardown, .timeout = 120);

static void
reap(pid_t pid)
{
	int	status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "writer %d failed (status 0x%x)", (int)pid, status);
}

/* Reads s (follow mode) until done(m, arg) or about 60 s of polls. */
static void
pump(struct source *s, struct model *m, bool (*done)(struct model *, void *),
    void *arg)
{
	struct pollfd	pfd;
	int		i;

	for (i = 0; i < 6000 && !done(m, arg); i++) {
		pfd.fd = source_fd(s);
		pfd.events = POLLIN;
		poll(&pfd, 1, 10);
		source_tick(s, m);
		source_read(s, m, 1 << 20);
	}
}

static bool
lines_at_least(struct model *m, void *arg)
{
	return m->records + m->invalid >= *(uint64_t *)arg;
}

/*
 * Writer w: n lines, each one write() of at most PIPE_BUF bytes (so the
 * kernel keeps it whole), padded to lengths that vary from tiny to
 * exactly PIPE_BUF.  Executor "W<w>", execution_time_ms the sequence
 * number.
 */
static void
small_writer(int w, int n)
{
	char	 line[PIPE_BUF + 1];
	int	 fd, i, len, pad;

	if ((fd = tu_open_writer(fifo)) == -1)
		_exit(1);
	for (i = 0; i < n; i++) {
		len = snprintf(line, sizeof line, "{\"executor_id\":\"W%d\","
		    "\"execution_time_ms\":%d,\"pad\":\"", w, i);
		pad = (i * 7919 + w * 104729) % (PIPE_BUF - len - 3 + 1);
		if (i % 50 == 0)
			pad = PIPE_BUF - len - 3;	/* exactly PIPE_BUF */
		memset(line + len, 'a' + w, (size_t)pad);
		len += pad;
		memcpy(line + len, "\"}\n", 3);
		len += 3;
		if (write(fd, line, (size_t)len) != len)
			_exit(2);
	}
	close(fd);
	_exit(0);
}

static void
check_writers(struct model *m, int nw, int n)
{
	char		 id[8];
	struct executor	*ex;
	int		 w;

	cr_assert_eq(m->invalid, 0, "%llu bad lines (first: %s)",
	    (unsigned long long)m->invalid, m->rej_count > 0 ?
	    model_rejection(m, 0)->detail : "");
	cr_assert_eq(m->records, (uint64_t)nw * n);
	for (w = 0; w < nw; w++) {
		snprintf(id, sizeof id, "W%d", w);
		ex = model_find(m, id);
		cr_assert_not_null(ex, "%s lost", id);
		cr_assert_eq(ex->runs, (uint64_t)n, "%s: %llu runs", id,
		    (unsigned long long)ex->runs);
		/* Every sequence number once: the sum and the extremes. */
		cr_assert_float_eq(ex->m[METRIC_EXEC_TIME].all.mean,
		    (n - 1) / 2.0, 1e-9);
		cr_assert_eq(ex->m[METRIC_EXEC_TIME].all.min, 0);
		cr_assert_eq(ex->m[METRIC_EXEC_TIME].all.max, n - 1);
	}
}

/* Eight writers at once, lines up to PIPE_BUF: none lost, none torn. */
Test(faults_fifo, eight_concurrent_writers_library)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;
	pid_t		 pid[8];
	uint64_t	 want = 8 * 3000;
	int		 w;

	s = source_open(fifo, true, 1 << 20, &cause);
	cr_assert_not_null(s, "%s", cause);
	for (w = 0; w < 8; w++) {
		if ((pid[w] = fork()) == 0)
			small_writer(w, 3000);
	}
	pump(s, m, lines_at_least, &want);
	for (w = 0; w < 8; w++)
		reap(pid[w]);
	check_writers(m, 8, 3000);
	source_close(s);
	model_free(m);
}

/* The same through `exectop report`: the test holds the FIFO open for
 * writing until every writer is done, so the report sees one stream. */
Test(faults_fifo, eight_concurrent_writers_binary)
{
	char	*cmd, *out = NULL, *err = NULL;
	pid_t	 pid[8], rep;
	int	 keep, w, p[2], status;
	json_t	*j, *e;
	size_t	 i;

	cr_assert_eq(pipe(p), 0);
	if ((rep = fork()) == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execl(tu_exectop(), "exectop", "report", fifo, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	keep = tu_open_writer(fifo);
	cr_assert_neq(keep, -1, "exectop report did not open the FIFO");
	for (w = 0; w < 8; w++) {
		if ((pid[w] = fork()) == 0)
			small_writer(w, 2000);
	}
	for (w = 0; w < 8; w++)
		reap(pid[w]);
	close(keep);
	{
		char	buf[65536];
		ssize_t	n;
		size_t	len = 0;

		out = malloc(1);
		while ((n = read(p[0], buf, sizeof buf)) > 0) {
			out = realloc(out, len + (size_t)n + 1);
			memcpy(out + len, buf, (size_t)n);
			len += (size_t)n;
		}
		out[len] = '\0';
	}
	close(p[0]);
	cr_assert_eq(waitpid(rep, &status, 0), rep);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%.200s", out);
	cr_assert_eq(json_integer_value(json_object_get(j, "total_runs")),
	    16000);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j,
	    "invalid_records"), "total")), 0);
	json_array_foreach(json_object_get(j, "executors"), i, e)
		cr_assert_eq(json_integer_value(json_object_get(e, "runs")), 2000);
	cr_assert_eq(json_array_size(json_object_get(j, "executors")), 8);
	json_decref(j);
	free(out);
	free(err);
	(void)cmd;
}

/*
 * Writers of lines far over PIPE_BUF: the kernel may tear a line when
 * another writer's write lands in the middle.  Whatever happened, every
 * newline-terminated line exectop saw is either one record or one bad
 * line: the totals add up to the lines written, exactly, nothing is
 * lost in the splitter or counted twice.  (Which pieces happen to be
 * valid JSON depends on where the kernel cut: see docs-limits.md.)
 */
Test(faults_fifo, torn_long_lines_counted_never_lost)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;
	pid_t		 pid[4];
	uint64_t	 want = 4 * 150;
	int		 w, r;

	s = source_open(fifo, true, 1 << 20, &cause);
	cr_assert_not_null(s, "%s", cause);
	for (w = 0; w < 4; w++) {
		if ((pid[w] = fork()) == 0) {
			char	*line = malloc(70000);
			int	 fd = tu_open_writer(fifo), i, len;

			if (fd == -1)
				_exit(1);
			for (i = 0; i < 150; i++) {
				len = sprintf(line, "{\"executor_id\":\"T%d\","
				    "\"execution_time_ms\":%d,\"method_calls\":[",
				    w, i);
				while (len < 8000 + (i % 30) * 2000)
					len += sprintf(line + len, "%s{\"method_name\":"
					    "\"m%d\",\"call_count\":%d}",
					    line[len - 1] == '[' ? "" : ",", len, w);
				len += sprintf(line + len, "]}\n");
				/* One write() per line, as a producer would. */
				if (write(fd, line, (size_t)len) != len)
					_exit(2);
			}
			_exit(0);
		}
	}
	pump(s, m, lines_at_least, &want);
	for (w = 0; w < 4; w++)
		reap(pid[w]);
	source_read(s, m, 1 << 20);
	cr_assert_eq(source_lines(s), want, "lines seen %llu",
	    (unsigned long long)source_lines(s));
	cr_assert_eq(m->records + m->invalid, want);
	cr_assert_eq(m->invalid_by[REJECT_LINE_TOO_LONG], 0);
	for (w = 0, r = 0; w < 4; w++) {
		char		 id[8];
		struct executor	*ex;

		snprintf(id, sizeof id, "T%d", w);
		if ((ex = model_find(m, id)) != NULL) {
			cr_assert_leq(ex->runs, 150);
			r += (int)ex->runs;
		}
	}
	cr_assert_eq((uint64_t)r, m->records, "records under other ids");
	source_close(s);
	model_free(m);
}

/* A tear made on purpose, the way the kernel makes one: half of A's long
 * line, all of B's, the rest of A.  Both resulting lines are bad; B's
 * record is not passed off as A's or merged; the records around stay. */
Test(faults_fifo, torn_line_is_bad_not_merged)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL, *a, *b;
	const char	*good = "{\"executor_id\":\"good\",\"execution_time_ms\":1}\n";
	int		 fa, fb;
	size_t		 la, lb, cut;
	uint64_t	 want;

	s = source_open(fifo, true, 1 << 20, &cause);
	cr_assert_not_null(s, "%s", cause);
	a = malloc(20000);
	la = (size_t)sprintf(a, "{\"executor_id\":\"A\",\"execution_time_ms\":5,"
	    "\"error\":\"");
	memset(a + la, 'x', 12000);
	la += 12000;
	la += (size_t)sprintf(a + la, "\"}\n");
	b = malloc(20000);
	lb = (size_t)sprintf(b, "{\"executor_id\":\"B\",\"execution_time_ms\":7}\n");
	fa = tu_open_writer(fifo);
	fb = tu_open_writer(fifo);
	cr_assert(fa != -1 && fb != -1);
	tu_write_all(fa, good, strlen(good));
	for (cut = 100; cut < la; cut += 4096) {
		tu_write_all(fa, a, cut);
		tu_write_all(fb, b, lb);
		tu_write_all(fa, a + cut, la - cut);
		tu_write_all(fb, good, strlen(good));
	}
	close(fa);
	close(fb);
	want = 1 + 2 * 3 + 3;
	pump(s, m, lines_at_least, &want);
	cr_assert_eq(m->records, 4, "records %llu", (unsigned long long)m->records);
	cr_assert_eq(m->invalid, 6);
	cr_assert_eq(m->invalid_by[REJECT_INVALID_JSON], 6);
	cr_assert_null(model_find(m, "A"));
	cr_assert_null(model_find(m, "B"));
	cr_assert_eq(model_find(m, "good")->runs, 4);
	source_close(s);
	model_free(m);
	free(a);
	free(b);
}

/* A writer that dies in the middle of a line: when it leaves, the piece
 * is counted as bad (follow mode and report mode), not dropped. */
Test(faults_fifo, last_line_without_newline_counted)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL, *out = NULL, *cmd;
	const char	*data = "{\"executor_id\":\"A\"}\n{\"executor_id\":\"A\",\"exec";
	pid_t		 pid;
	uint64_t	 want = 2;
	json_t		*j;

	s = source_open(fifo, true, 1 << 20, &cause);
	if ((pid = fork()) == 0) {
		int fd = tu_open_writer(fifo);

		tu_write_all(fd, data, strlen(data));
		_exit(0);	/* no newline, no close: the kernel closes */
	}
	reap(pid);
	pump(s, m, lines_at_least, &want);
	cr_assert_eq(m->records, 1);
	cr_assert_eq(m->invalid_by[REJECT_INVALID_JSON], 1);
	/* The next writer's first line is whole, not glued to the piece. */
	if ((pid = fork()) == 0) {
		int fd = tu_open_writer(fifo);

		tu_write_all(fd, "{\"executor_id\":\"B\"}\n", 20);
		_exit(0);
	}
	reap(pid);
	want = 3;
	pump(s, m, lines_at_least, &want);
	cr_assert_not_null(model_find(m, "B"));
	cr_assert_eq(m->invalid, 1);
	source_close(s);
	model_free(m);

	/* Report mode, through the binary. */
	if ((pid = fork()) == 0) {
		int fd = tu_open_writer(fifo);

		if (fd == -1)
			_exit(1);
		tu_write_all(fd, data, strlen(data));
		_exit(0);
	}
	cmd = tu_fmt("'%s' report '%s'", tu_exectop(), fifo);
	cr_assert_eq(tu_run(cmd, &out, NULL), 0);
	reap(pid);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%.200s", out);
	cr_assert_eq(json_integer_value(json_object_get(j, "total_runs")), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j,
	    "invalid_records"), "invalid_json")), 1);
	json_decref(j);
	free(out);
	free(cmd);
}

static bool
records_at_least(struct model *m, void *arg)
{
	return m->records >= *(uint64_t *)arg;
}

/* Writers restarting hundreds of times, sometimes overlapping, sometimes
 * with the FIFO left without any writer: every record exactly once, and
 * no readiness reported while nobody writes (no busy loop). */
Test(faults_fifo, writer_restart_storm)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	struct pollfd	 pfd;
	char		*cause = NULL, line[96];
	pid_t		 pid, prev = -1;
	uint64_t	 want = 0;
	int		 round, i, len, idle_checks = 0;

	s = source_open(fifo, true, 1 << 20, &cause);
	cr_assert_not_null(s, "%s", cause);
	for (round = 0; round < 300; round++) {
		if ((pid = fork()) == 0) {
			int fd = tu_open_writer(fifo);

			if (fd == -1)
				_exit(1);
			for (i = 0; i < 20; i++) {
				len = snprintf(line, sizeof line,
				    "{\"executor_id\":\"R\",\"execution_time_ms\":%d}\n",
				    round * 20 + i);
				tu_write_all(fd, line, (size_t)len);
			}
			_exit(0);
		}
		want += 20;
		if (round % 3 != 0) {
			/* Overlap: the next writer may open before this one
			 * closes. */
			if (prev != -1)
				reap(prev);
			prev = pid;
			continue;
		}
		if (prev != -1)
			reap(prev);
		prev = -1;
		reap(pid);
		pump(s, m, records_at_least, &want);
		cr_assert_eq(m->records, want);
		/* Everyone left: drained, then silence until the next one. */
		source_read(s, m, 1 << 20);
		if (round % 30 == 0) {
			pfd.fd = source_fd(s);
			pfd.events = POLLIN;
			cr_assert_eq(poll(&pfd, 1, 20), 0,
			    "FIFO ready with no writer (revents 0x%x)",
			    pfd.revents);
			idle_checks++;
		}
	}
	if (prev != -1)
		reap(prev);
	pump(s, m, records_at_least, &want);
	cr_assert_eq(m->records, 300 * 20);
	cr_assert_eq(m->invalid, 0);
	cr_assert_float_eq(model_find(m, "R")->m[METRIC_EXEC_TIME].all.mean,
	    (300 * 20 - 1) / 2.0, 1e-9);
	cr_assert_eq(model_find(m, "R")->m[METRIC_EXEC_TIME].all.max,
	    300 * 20 - 1);
	cr_assert_eq(idle_checks, 10);
	source_close(s);
	model_free(m);
}

/* CPU ticks (user + system) a process has used, from /proc. */
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
	/* fields after the name: state(3) ... utime(14) stime(15) */
	if (rp != NULL)
		sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		    "%ld %ld", &ut, &stime);
	free(st);
	return ut < 0 ? -1 : ut + stime;
}

/* Elapsed clock ticks of the whole system, for a ratio. */
static long
uptime_ticks(void)
{
	double	up = 0;
	char	*s = tu_read_file("/proc/uptime", NULL);

	sscanf(s, "%lf", &up);
	free(s);
	return (long)(up * (double)sysconf(_SC_CLK_TCK));
}

/*
 * `exectop report FIFO` with no writer yet: it waits (a non-blocking read
 * of 0 is not the end) without spinning.  The CPU it uses while waiting
 * is compared with the time waited: a busy loop would use all of it.
 */
Test(faults_fifo, binary_waits_for_writer_without_spinning)
{
	char	*out = NULL;
	pid_t	 rep, wr;
	int	 p[2], status, i;
	long	 c0, c1, t0, t1;
	json_t	*j;

	cr_assert_eq(pipe(p), 0);
	if ((rep = fork()) == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execl(tu_exectop(), "exectop", "report", fifo, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* Wait until it is in its loop (it has opened the FIFO). */
	for (i = 0; i < 500 && cpu_ticks(rep) < 0; i++)
		usleep(10000);
	usleep(200000);
	c0 = cpu_ticks(rep);
	t0 = uptime_ticks();
	do {
		usleep(100000);
		t1 = uptime_ticks();
	} while (t1 - t0 < 2 * sysconf(_SC_CLK_TCK));
	c1 = cpu_ticks(rep);
	cr_assert_geq(c0, 0, "exectop is gone");
	cr_assert_leq(c1 - c0, (t1 - t0) / 10, "used %ld CPU ticks in %ld "
	    "ticks of waiting", c1 - c0, t1 - t0);
	cr_assert_eq(waitpid(rep, &status, WNOHANG), 0, "exited before any writer");

	if ((wr = fork()) == 0) {
		int fd = tu_open_writer(fifo);

		tu_write_all(fd, "{\"executor_id\":\"late\"}\n", 23);
		_exit(0);
	}
	reap(wr);
	{
		char	buf[4096];
		ssize_t	n;
		size_t	len = 0;

		out = malloc(1);
		while ((n = read(p[0], buf, sizeof buf)) > 0) {
			out = realloc(out, len + (size_t)n + 1);
			memcpy(out + len, buf, (size_t)n);
			len += (size_t)n;
		}
		out[len] = '\0';
	}
	close(p[0]);
	cr_assert_eq(waitpid(rep, &status, 0), rep);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j);
	cr_assert_eq(json_integer_value(json_object_get(j, "total_runs")), 1);
	json_decref(j);
	free(out);
}
