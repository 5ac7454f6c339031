/*
 * test_catchup.c - the TUI's parallel catch-up (catchup.c) against a
 * sequential read of the same file: the same records, rejections and line
 * numbers, whatever the thread count; a file appended while it is caught
 * up (lines split across writes, the catch-up reaching past its first
 * end) loses and duplicates nothing once the source follows on from
 * where the catch-up stopped (source_resume); and its progress.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "model.h"
#include "testutil.h"

#define MAX_LINE	(1024 * 1024)

static struct model *
new_model(void)
{
	struct model_limits	lim = { 50, 0, 0 };

	return model_create(&lim);
}

/* Lines first..first+n-1 of a deterministic stream: records of 37
 * executors with methods, bad JSON, blank lines, records missing fields. */
static char *
stream(int first, int n, size_t *len)
{
	char	*buf = NULL;
	size_t	 cap = 0;
	FILE	*f = open_memstream(&buf, &cap);
	int	 i, k;

	for (k = first; k < first + n; k++) {
		if (k % 97 == 5)
			fprintf(f, "not json at all %d\n", k);
		else if (k % 131 == 7)
			fprintf(f, "   \n");
		else if (k % 211 == 9)
			fprintf(f, "{\"executor_id\":\"E%d\"}\n", k % 37);
		else {
			fprintf(f, "{\"executor_id\":\"E%d\",\"execution_time_ms\":"
			    "%.3f,\"memory_footprint_mb\":%.2f,\"timestamp\":%d,"
			    "\"success\":%s,\"error\":%s,\"method_calls\":[",
			    k % 37, 10 + (k * 7919 % 1000) / 10.0, 5.0 + k % 13,
			    1700000000 + k, k % 50 == 0 ? "false" : "true",
			    k % 50 == 0 ? "\"boom\"" : "null");
			for (i = 0; i < 1 + k % 3; i++)
				fprintf(f, "%s{\"class_name\":\"C%d\",\"method_name\":"
				    "\"m%d\",\"execution_time_ms\":%.2f,\"call_count\":%d}",
				    i ? "," : "", i, k % 5, 1 + (k % 17) / 4.0, 1 + i);
			fprintf(f, "]}\n");
		}
	}
	fclose(f);
	*len = cap;
	return buf;
}

static void
append_stream(const char *path, int first, int n)
{
	size_t	 len;
	char	*s = stream(first, n, &len);

	tu_write_file(path, s, len, 1);
	free(s);
}

/* An over-long line (2 MB) and a long valid one (600 KB, longer than a
 * batch). */
static void
append_long_lines(const char *path)
{
	size_t	 n = 2 * 1024 * 1024;
	char	*s = malloc(n + 1);

	memset(s, 'x', n);
	s[n] = '\n';
	tu_write_file(path, s, n + 1, 1);
	n = 600 * 1024;
	s = realloc(s, n + 64);
	n = (size_t)sprintf(s, "{\"executor_id\":\"LONG\",\"error\":\"");
	memset(s + n, 'y', 600 * 1024 - n);
	n = 600 * 1024;
	memcpy(s + n, "\"}\n", 3);
	tu_write_file(path, s, n + 3, 1);
	free(s);
}

/* Everything a sequential follow-mode read gives. */
static struct model *
read_sequential(const char *path)
{
	struct model	*m = new_model();
	struct source	*s;
	char		*cause = NULL;

	s = source_open(path, true, MAX_LINE, &cause);
	cr_assert_not_null(s, "%s", cause);
	while (source_read(s, m, 1 << 20) > 0)
		;
	source_close(s);
	return m;
}

static void
expect_same_acc(const struct stat_acc *a, const struct stat_acc *b,
    const char *id)
{
	cr_expect_eq(a->n, b->n, "%s: n", id);
	if (a->n == 0)
		return;
	cr_expect(a->mean == b->mean && a->m2 == b->m2 && a->min == b->min &&
	    a->max == b->max, "%s: accumulators differ", id);
}

static bool
same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* The two models hold exactly the same state. */
static void
expect_same_model(const struct model *a, const struct model *b)
{
	const struct executor	*x, *y;
	const struct rejection	*ra, *rb;
	size_t			 i, j;
	unsigned		 r;
	int			 k;

	cr_assert_eq(a->records, b->records, "records %llu vs %llu",
	    (unsigned long long)a->records, (unsigned long long)b->records);
	cr_expect_eq(a->invalid, b->invalid);
	for (k = 0; k < REJECT_COUNT; k++)
		cr_expect_eq(a->invalid_by[k], b->invalid_by[k], "reason %d", k);
	cr_expect_eq(a->dropped_records, b->dropped_records);
	cr_assert_eq(a->nexecs, b->nexecs);
	for (i = 0; i < a->nexecs; i++) {
		x = a->execs[i];
		y = b->execs[i];
		cr_assert_str_eq(x->id, y->id);
		cr_expect_eq(x->runs, y->runs, "%s runs", x->id);
		cr_expect_eq(x->failures, y->failures, "%s failures", x->id);
		cr_expect(same_double(x->first_ts, y->first_ts) &&
		    same_double(x->last_ts, y->last_ts), "%s timestamps", x->id);
		cr_expect((x->last_error == NULL) == (y->last_error == NULL));
		for (k = 0; k < METRIC_COUNT; k++)
			expect_same_acc(&x->m[k].all, &y->m[k].all, x->id);
		cr_assert_eq(x->nmethods, y->nmethods, "%s methods", x->id);
		for (j = 0; j < x->nmethods; j++) {
			cr_expect_str_eq(x->methods[j].name, y->methods[j].name);
			cr_expect_eq(x->methods[j].calls, y->methods[j].calls);
			cr_expect(x->methods[j].total_time_ms ==
			    y->methods[j].total_time_ms);
		}
	}
	cr_assert_eq(a->rej_count, b->rej_count);
	for (r = 0; r < a->rej_count; r++) {
		ra = model_rejection(a, r);
		rb = model_rejection(b, r);
		cr_expect_str_eq(ra->source, rb->source);
		cr_expect_eq(ra->line, rb->line, "rejection %u: line %llu vs %llu",
		    r, (unsigned long long)ra->line, (unsigned long long)rb->line);
		cr_expect_eq(ra->reason, rb->reason);
		cr_expect_str_eq(ra->detail, rb->detail);
	}
}

/* Waits for the catch-up's descriptor (never for long: the workers are
 * parsing) and applies; until done. */
static void
run_to_done(struct catchup *c, struct model *m)
{
	struct pollfd	pfd;

	while (!catchup_done(c)) {
		pfd.fd = catchup_fd(c);
		pfd.events = POLLIN;
		poll(&pfd, 1, 1000);
		catchup_apply(c, m, 5000);
	}
}

/* Catches up path, then follows it with a source from where the
 * catch-up stopped.  Returns the source (the caller reads on). */
static struct source *
catch_up(const char *path, struct model *m, unsigned threads)
{
	struct catchup	*c;
	struct source	*s;
	char		*cause = NULL;
	uint64_t	 lines;
	off_t		 off;
	int		 fd;

	c = catchup_start(path, 0, 0, MAX_LINE, threads, &cause);
	cr_assert_not_null(c, "%s", cause);
	s = source_open(path, true, MAX_LINE, &cause);
	cr_assert_not_null(s);
	run_to_done(c, m);
	fd = catchup_take_file(c, &off, &lines);
	cr_assert_geq(fd, 0);
	catchup_free(c);
	cr_assert_eq(source_resume(s, fd, off, lines), 0);
	return s;
}

Test(catchup, same_as_sequential_whatever_the_thread_count)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/big.jsonl", dir);
	struct model	*seq, *par;
	struct source	*s;
	unsigned	 threads[] = { 1, 2, 3, 8 };
	size_t		 i;

	/* Several batches, bad lines between, long lines in the middle, and
	 * a last line without its newline (follow mode holds it). */
	append_stream(path, 0, 12000);
	append_long_lines(path);
	append_stream(path, 12000, 6000);
	tu_write_file(path, "{\"executor_id\":\"E1\",\"exec", 25, 1);
	seq = read_sequential(path);
	cr_assert_gt(seq->records, 17000);
	cr_assert_gt(seq->invalid, 100);
	cr_assert_eq(seq->invalid_by[REJECT_LINE_TOO_LONG], 1);
	cr_assert_not_null(model_find(seq, "LONG"));

	for (i = 0; i < sizeof threads / sizeof *threads; i++) {
		par = new_model();
		s = catch_up(path, par, threads[i]);
		while (source_read(s, par, 1 << 20) > 0)
			;
		expect_same_model(par, seq);
		cr_expect_eq(source_lines(s), 18002, "lines %llu",
		    (unsigned long long)source_lines(s));
		source_close(s);
		model_free(par);
	}
	model_free(seq);
	tu_rmtree(dir);
	free(path);
	free(dir);
}

Test(catchup, appended_while_catching_up_nothing_lost_or_doubled)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/grow.jsonl", dir);
	struct catchup	*c;
	struct source	*s;
	struct model	*par = new_model(), *seq;
	struct catchup_progress pr;
	char		*cause = NULL, *more;
	size_t		 len, cut;
	uint64_t	 lines;
	off_t		 off, first_end;
	int		 fd;

	/* 8 batches; with one thread the ring holds 4, so nothing past the
	 * first half is read before we apply. */
	append_stream(path, 0, 30000);
	c = catchup_start(path, 0, 0, MAX_LINE, 1, &cause);
	cr_assert_not_null(c, "%s", cause);
	s = source_open(path, true, MAX_LINE, &cause);
	catchup_progress(c, &pr);
	first_end = pr.end;

	/* Grows by more than a megabyte, the last line cut in two. */
	more = stream(30000, 12000, &len);
	cut = len - 40;
	tu_write_file(path, more, cut, 1);
	run_to_done(c, par);
	catchup_progress(c, &pr);
	cr_expect_gt(pr.end, first_end, "the catch-up went on past its end");
	fd = catchup_take_file(c, &off, &lines);
	cr_assert_geq(fd, 0);
	cr_expect_lt(off, first_end + (off_t)cut, "the cut line is left over");
	catchup_free(c);
	cr_assert_eq(source_resume(s, fd, off, lines), 0);
	while (source_read(s, par, 1 << 20) > 0)
		;
	/* The rest of the cut line, then more. */
	tu_write_file(path, more + cut, len - cut, 1);
	append_stream(path, 42000, 500);
	while (source_read(s, par, 1 << 20) > 0)
		;
	seq = read_sequential(path);
	expect_same_model(par, seq);
	cr_expect_eq(par->records + par->invalid, seq->records + seq->invalid);
	source_close(s);
	model_free(seq);
	model_free(par);
	free(more);
	tu_rmtree(dir);
	free(path);
	free(dir);
}

Test(catchup, progress_one_batch_at_a_time)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/p.jsonl", dir);
	struct catchup	*c;
	struct model	*m = new_model();
	struct catchup_progress pr;
	struct pollfd	 pfd;
	char		*cause = NULL;
	size_t		 len;
	char		*all;

	all = stream(0, 20000, &len);
	tu_write_file(path, all, len, 0);
	c = catchup_start(path, 0, 0, MAX_LINE, 2, &cause);
	cr_assert_not_null(c, "%s", cause);
	catchup_progress(c, &pr);
	cr_expect_eq(pr.start, 0);
	cr_expect_eq(pr.offset, 0);
	cr_expect_eq(pr.end, (off_t)len);
	cr_expect_eq(pr.records, 0);

	/* Budget 0: exactly one batch once one is ready. */
	while (!catchup_ready(c)) {
		pfd.fd = catchup_fd(c);
		pfd.events = POLLIN;
		poll(&pfd, 1, 1000);
	}
	cr_assert_eq(catchup_apply(c, m, 0), 1);
	catchup_progress(c, &pr);
	cr_expect_gt(pr.offset, 0);
	cr_expect_lt(pr.offset, (off_t)len);
	cr_expect_eq(all[pr.offset - 1], '\n', "a batch ends a line");
	cr_expect_eq(pr.records, m->records);
	cr_expect_eq(pr.invalid, m->invalid);
	cr_expect_gt(pr.lines, pr.records);
	cr_expect(!catchup_done(c));

	/* Freed half-way: the threads stop, nothing leaks. */
	catchup_free(c);
	model_free(m);
	free(all);
	tu_rmtree(dir);
	free(path);
	free(dir);
}

Test(catchup, nothing_complete_to_read)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/p.jsonl", dir);
	struct catchup	*c;
	struct model	*m = new_model();
	char		*cause = NULL;
	uint64_t	 lines = 99;
	off_t		 off = 99;
	int		 fd;

	tu_write_file(path, "{\"executor_id\":", 15, 0);
	c = catchup_start(path, 0, 0, MAX_LINE, 2, &cause);
	cr_assert_not_null(c);
	cr_expect(catchup_done(c));
	cr_expect_eq(catchup_apply(c, m, 1000), 0);
	fd = catchup_take_file(c, &off, &lines);
	cr_expect_geq(fd, 0);
	cr_expect_eq(off, 0);
	cr_expect_eq(lines, 0);
	close(fd);
	catchup_free(c);
	cr_expect_null(catchup_start(dir, 0, 0, MAX_LINE, 1, &cause));
	cr_expect_not_null(cause);
	free(cause);
	model_free(m);
	tu_rmtree(dir);
	free(path);
	free(dir);
}
