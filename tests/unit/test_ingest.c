/*
 * test_ingest.c - the line splitter and the sources, on real files and
 * real FIFOs: split reads, over-long lines, report-mode EOF, FIFO writers
 * coming and going, and a followed file appended, truncated, rewritten and
 * rotated.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ingest.h"
#include "model.h"
#include "testutil.h"

struct collected {
	char	 lines[64][128];
	int	 n;
	int	 too_long;
};

static void
collect(void *arg, const char *line, size_t len, uint64_t lineno, bool too_long)
{
	struct collected	*c = arg;

	(void)lineno;
	if (too_long) {
		c->too_long++;
		return;
	}
	snprintf(c->lines[c->n++], sizeof c->lines[0], "%.*s", (int)len, line);
}

Test(linebuf, split_across_reads_byte_by_byte)
{
	struct linebuf		lb;
	struct collected	c = { .n = 0 };
	const char		*data = "one\ntwo\n\nthree";
	size_t			i;

	linebuf_init(&lb, 1024);
	for (i = 0; i < strlen(data); i++)
		linebuf_feed(&lb, data + i, 1, collect, &c);
	cr_assert_eq(c.n, 3);
	cr_assert_str_eq(c.lines[0], "one");
	cr_assert_str_eq(c.lines[1], "two");
	cr_assert_str_eq(c.lines[2], "");
	cr_assert_eq(linebuf_flush(&lb, collect, &c), 1);
	cr_assert_str_eq(c.lines[3], "three");
	cr_assert_eq(linebuf_flush(&lb, collect, &c), 0);
	cr_assert_eq(lb.lineno, 4);
	linebuf_free(&lb);
}

Test(linebuf, overlong_line_dropped_once_and_bounded)
{
	struct linebuf		lb;
	struct collected	c = { .n = 0 };
	char			chunk[100];
	int			i;

	memset(chunk, 'x', sizeof chunk);
	linebuf_init(&lb, 64);
	linebuf_feed(&lb, "ok1\n", 4, collect, &c);
	for (i = 0; i < 1000; i++)		/* 100 KB with no newline */
		linebuf_feed(&lb, chunk, sizeof chunk, collect, &c);
	cr_assert_leq(lb.cap, 64);
	linebuf_feed(&lb, "tail\nok2\n", 9, collect, &c);
	cr_assert_eq(c.too_long, 1);
	cr_assert_eq(c.n, 2);
	cr_assert_str_eq(c.lines[1], "ok2");
	/* An over-long line in a single chunk, too. */
	{
		char	big[200];

		memset(big, 'y', sizeof big);
		big[199] = '\n';
		linebuf_feed(&lb, big, sizeof big, collect, &c);
	}
	cr_assert_eq(c.too_long, 2);
	linebuf_free(&lb);
}

static const char *REC = "{\"executor_id\":\"A\",\"execution_time_ms\":1}\n";

static void
write_records(int fd, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		cr_assert_eq(write(fd, REC, strlen(REC)), (ssize_t)strlen(REC));
}

Test(source, report_mode_file_flushes_last_line)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/a.jsonl", dir);
	const char	*data = "{\"executor_id\":\"A\"}\nbad\n{\"executor_id\":\"B\"}";
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;

	tu_write_file(path, data, strlen(data), 0);
	s = source_open(path, false, 1 << 20, &cause);
	cr_assert_not_null(s, "%s", cause);
	cr_assert_eq(ingest_run_to_eof(&s, 1, m, &cause), 0);
	cr_assert_eq(m->records, 2);
	cr_assert_eq(m->invalid, 1);
	cr_assert_eq(source_state(s), SOURCE_EOF);
	cr_assert_eq(source_lines(s), 3);
	source_close(s);
	model_free(m);

	/* Report mode: a missing file is an error naming it. */
	cr_assert_null(source_open("/nonexistent/x.jsonl", false, 1024, &cause));
	cr_assert(strstr(cause, "/nonexistent/x.jsonl") != NULL);
	free(cause);
	tu_rmtree(dir);
}

/* Forks a writer that opens the FIFO, writes n records and exits. */
static pid_t
fifo_writer(const char *path, int n)
{
	pid_t	pid = fork();
	int	fd;

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		if ((fd = open(path, O_WRONLY)) == -1)
			_exit(1);
		write_records(fd, n);
		close(fd);
		_exit(0);
	}
	return pid;
}

static void
reap(pid_t pid)
{
	int	status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

Test(source, fifo_report_mode_waits_for_first_writer)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/f", dir);
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;
	pid_t		 pid;

	cr_assert_eq(mkfifo(path, 0600), 0);
	/* Open before any writer exists: that is not the end. */
	s = source_open(path, false, 1 << 20, &cause);
	cr_assert_not_null(s);
	cr_assert_eq(source_kind(s), SOURCE_FIFO);
	cr_assert_eq(source_read(s, m, 1 << 20), 0);
	cr_assert_neq(source_state(s), SOURCE_EOF);
	pid = fifo_writer(path, 500);
	cr_assert_eq(ingest_run_to_eof(&s, 1, m, &cause), 0);
	reap(pid);
	cr_assert_eq(m->records, 500);
	source_close(s);
	model_free(m);
	tu_rmtree(dir);
}

/* Reads s (follow mode) until the model holds want records or 10 s. */
static void
pump_until(struct source *s, struct model *m, uint64_t want)
{
	struct pollfd	pfd;
	int		i;

	for (i = 0; i < 1000 && m->records < want; i++) {
		if (source_fd(s) != -1) {
			pfd.fd = source_fd(s);
			pfd.events = POLLIN;
			poll(&pfd, 1, 10);
		} else
			usleep(10000);
		source_tick(s, m);
		source_read(s, m, 1 << 20);
	}
	cr_assert_eq(m->records, want, "records %llu, want %llu",
	    (unsigned long long)m->records, (unsigned long long)want);
}

Test(source, fifo_follow_across_writers_no_spin)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/f", dir);
	struct model	*m = model_create(NULL);
	struct source	*s;
	struct pollfd	 pfd;
	char		*cause = NULL, buf[64];
	int		 round;

	cr_assert_eq(mkfifo(path, 0600), 0);
	s = source_open(path, true, 1 << 20, &cause);
	cr_assert_not_null(s);
	for (round = 1; round <= 5; round++) {
		reap(fifo_writer(path, 200));
		pump_until(s, m, (uint64_t)round * 200);
		/* Drain the hang-up; then the FIFO must not be "ready"
		 * again until a new writer comes (no busy loop). */
		source_read(s, m, 1 << 20);
		cr_assert_eq(source_state(s), SOURCE_WAITING, "state %s",
		    source_status(s, buf, sizeof buf));
		pfd.fd = source_fd(s);
		pfd.events = POLLIN;
		cr_assert_eq(poll(&pfd, 1, 50), 0, "FIFO reports ready with no writer");
	}
	cr_assert_eq(m->invalid, 0);
	source_close(s);
	model_free(m);
	tu_rmtree(dir);
}

Test(source, fifo_partial_line_at_writer_close_is_kept)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/f", dir);
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;
	pid_t		 pid;
	int		 fd;

	cr_assert_eq(mkfifo(path, 0600), 0);
	s = source_open(path, true, 1 << 20, &cause);
	pid = fork();
	if (pid == 0) {
		fd = open(path, O_WRONLY);
		write_records(fd, 3);
		if (write(fd, "{\"executor_id\":\"Z\"}", 19) != 19)
			_exit(1);
		_exit(0);
	}
	reap(pid);
	pump_until(s, m, 4);
	cr_assert_not_null(model_find(m, "Z"));
	source_close(s);
	model_free(m);
	tu_rmtree(dir);
}

Test(source, followed_file_append_truncate_rotate)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/log.jsonl", dir);
	char		*old = tu_fmt("%s/log.jsonl.1", dir), *cause = NULL, buf[64];
	struct model	*m = model_create(NULL);
	struct source	*s;
	int		 fd;

	/* Missing at start: waited for. */
	s = source_open(path, true, 1 << 20, &cause);
	cr_assert_not_null(s);
	cr_assert_eq(source_state(s), SOURCE_WAITING);
	cr_assert_str_eq(source_status(s, buf, sizeof buf), "waiting for file");

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	write_records(fd, 10);
	pump_until(s, m, 10);

	/* Appended. */
	write_records(fd, 5);
	pump_until(s, m, 15);

	/* Truncated, then a few lines. */
	cr_assert_eq(ftruncate(fd, 0), 0);
	source_tick(s, m);
	write_records(fd, 3);
	pump_until(s, m, 18);
	close(fd);

	/* Rotated: the writer appends to the renamed file, then a new
	 * file appears; the old one is drained first. */
	cr_assert_eq(rename(path, old), 0);
	fd = open(old, O_WRONLY | O_APPEND);
	write_records(fd, 2);
	close(fd);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	write_records(fd, 4);
	pump_until(s, m, 24);

	/* Rewritten in place past the old size (truncate then grow
	 * quickly): seen through the first bytes. */
	close(fd);
	{
		const char	*other = "{\"executor_id\":\"B\",\"execution_time_ms\":2}\n";
		int		 i;

		fd = open(path, O_WRONLY | O_TRUNC);
		for (i = 0; i < 8; i++)
			cr_assert_eq(write(fd, other, strlen(other)), (ssize_t)strlen(other));
		close(fd);
	}
	pump_until(s, m, 32);
	cr_assert_eq(model_find(m, "B")->runs, 8);
	cr_assert_eq(m->invalid, 0);
	source_close(s);
	model_free(m);
	tu_rmtree(dir);
}

Test(source, directory_is_an_error)
{
	char		*dir = tu_tmpdir(), *cause = NULL, buf[128];
	struct source	*s;

	cr_assert_null(source_open(dir, false, 1024, &cause));
	cr_assert(strstr(cause, "directory") != NULL, "%s", cause);
	free(cause);
	s = source_open(dir, true, 1024, &cause);
	cr_assert_not_null(s);
	cr_assert_eq(source_state(s), SOURCE_ERROR);
	cr_assert(strstr(source_status(s, buf, sizeof buf), "directory") != NULL);
	source_close(s);
	tu_rmtree(dir);
}
