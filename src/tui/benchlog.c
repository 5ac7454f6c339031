/*
 * benchlog.c - the hidden measurement hook of `make bench`
 * (tests/bench/bench.c).  Not a user feature: when the environment
 * variable EXECTOP_BENCH_LOG names a file at start-up, the TUI appends
 * one line per event to it:
 *
 *	f T		a frame was drawn (after doupdate)
 *	k T CODE	a key was handled
 *	l US N		a read from a source gave an executor N new runs; the
 *			newest one's `timestamp` field was written US
 *			microseconds before it reached the model
 *	c T RECORDS BYTES  a parallel catch-up finished
 *
 * T is CLOCK_MONOTONIC in microseconds, the clock the benchmark uses to
 * time the keys it sends, so the two compare.  The write-to-model latency
 * compares the record's `timestamp` (`exectop gen --rate` stamps it with
 * the wall clock when it writes the line) with CLOCK_REALTIME.  Without
 * the variable every function here returns at once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model.h"
#include "tui_int.h"
#include "xmalloc.h"

static uint64_t
benchlog_mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void
benchlog_open(struct tui *t)
{
	const char	*path = getenv("EXECTOP_BENCH_LOG");

	if (path == NULL || *path == '\0')
		return;
	t->bench = fopen(path, "ae");
}

void
benchlog_close(struct tui *t)
{
	if (t->bench != NULL)
		fclose(t->bench);
	t->bench = NULL;
	free(t->bench_runs);
	t->bench_runs = NULL;
	t->bench_nruns = 0;
}

void
benchlog_frame(struct tui *t)
{
	if (t->bench == NULL)
		return;
	fprintf(t->bench, "f %llu\n", (unsigned long long)benchlog_mono_us());
	fflush(t->bench);
}

void
benchlog_key(struct tui *t, const struct tui_key *k)
{
	if (t->bench == NULL)
		return;
	fprintf(t->bench, "k %llu %s%d\n", (unsigned long long)benchlog_mono_us(),
	    k->fn ? "fn" : "", k->code);
	fflush(t->bench);
}

void
benchlog_ingested(struct tui *t)
{
	const struct executor	*ex;
	struct timespec		 ts;
	double			 now;
	size_t			 i;

	if (t->bench == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (t->bench_nruns < t->model->nexecs) {
		t->bench_runs = xreallocarray(t->bench_runs, t->model->nexecs,
		    sizeof *t->bench_runs);
		for (i = t->bench_nruns; i < t->model->nexecs; i++)
			t->bench_runs[i] = 0;
		t->bench_nruns = t->model->nexecs;
	}
	for (i = 0; i < t->model->nexecs; i++) {
		ex = t->model->execs[i];
		if (ex->runs == t->bench_runs[i])
			continue;
		if (!isnan(ex->last_ts))
			fprintf(t->bench, "l %.0f %llu\n",
			    (now - ex->last_ts) * 1e6,
			    (unsigned long long)(ex->runs - t->bench_runs[i]));
		t->bench_runs[i] = ex->runs;
	}
}

void
benchlog_catchup(struct tui *t, uint64_t records, uint64_t bytes)
{
	if (t->bench == NULL)
		return;
	fprintf(t->bench, "c %llu %llu %llu\n",
	    (unsigned long long)benchlog_mono_us(), (unsigned long long)records,
	    (unsigned long long)bytes);
	fflush(t->bench);
}
