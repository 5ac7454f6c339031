/*
 * frame.c - `make bench`'s large-table scenario: the TUI's frame function
 * on a model of N executors (default 10,000) x 5 methods, drawn by
 * ncurses into a terminal whose output goes to /dev/null.  Links
 * libexectop.a and the TUI's own drawing code; nothing is simulated.
 *
 * It times, over many repetitions:
 *   frame    re-sort and re-filter the table (tui_reorder), then draw it
 *            (tui_draw: erase, the main screen, doupdate) - what a key
 *            that sorts, filters or scrolls costs, and the drawing part
 *            of every refresh;
 *   refresh  the analysis of the model and the display copy
 *            (tui_rebuild_view), then the frame - what a refresh with new
 *            records costs.
 * Each repetition changes the model or the sort direction, so every frame
 * really sends a new table to the terminal.
 *
 * usage: frame [EXECUTORS [FRAMES [REFRESHES]]]; prints "frame_ms P50
 * P99", "refresh_ms P50 P99" and "rebuild_ms P50 P99" (the analysis and
 * copy part of a refresh), one line each.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "internal.h"
#include "model.h"
#include "record.h"

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
pct(double *v, size_t n, double q)
{
	size_t	i = (size_t)ceil(q * (double)n);	/* nearest rank */

	qsort(v, n, sizeof *v, cmp_double);
	return v[i > 0 ? (i <= n ? i - 1 : n - 1) : 0];
}

/* A deterministic pseudo-random number in [0, 1). */
static double
rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(*s >> 11) * 0x1.0p-53;
}

/* One run of executor i; slow multiplies its times. */
static void
add_run(struct model *m, unsigned i, unsigned long *seed, double slow)
{
	static const char	*cls[] = { "Loader", "Parser", "Embedder",
				    "Ranker", "Writer" };
	static const char	*meth[] = { "load", "parse", "embed", "score",
				    "merge" };
	struct record_method	 rm[5];
	struct record		 r;
	char			 id[32];
	double			 base = 5 + (double)(i * 7919 % 500);
	int			 k;

	memset(&r, 0, sizeof r);
	snprintf(id, sizeof id, "D%u-Q%u", i / 5 + 1, i % 5 + 1);
	r.executor_id = id;
	r.v[METRIC_EXEC_TIME] = base * slow * (0.9 + 0.2 * rnd(seed));
	r.v[METRIC_MEM_FOOTPRINT] = 2 + (double)(i % 200) * (0.9 + 0.2 * rnd(seed));
	r.v[METRIC_MEM_PEAK] = r.v[METRIC_MEM_FOOTPRINT] * 1.5;
	r.v[METRIC_SER_TIME] = 0.5 + (double)(i % 40) * rnd(seed);
	r.v[METRIC_SER_SIZE] = 1000 + (double)(i % 1000) * 100 * rnd(seed);
	for (k = METRIC_SER_SIZE + 1; k < METRIC_COUNT; k++)
		r.v[k] = NAN;
	r.success = rnd(seed) > 0.01;
	r.error = r.success ? NULL : "RuntimeError: synthetic failure";
	r.timestamp = 1790000000.0;
	for (k = 0; k < 5; k++) {
		rm[k].class_name = cls[k];
		rm[k].method_name = meth[(i + (unsigned)k) % 5];
		rm[k].exec_time_ms = r.v[METRIC_EXEC_TIME] / 5;
		rm[k].mem_delta_mb = rnd(seed) * 10;
		rm[k].call_count = 1 + (unsigned)k;
		rm[k].success = true;
		rm[k].error = NULL;
	}
	r.methods = rm;
	r.nmethods = 5;
	model_add_record(m, &r);
}

int
main(int argc, char **argv)
{
	struct tui_opts		 opts;
	struct model_limits	 lim;
	struct tui		 t;
	SCREEN			*scr;
	FILE			*out, *in;
	unsigned		 n = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	int			 frames = argc > 2 ? atoi(argv[2]) : 200, f;
	int			 refreshes = argc > 3 ? atoi(argv[3]) : 20;
	unsigned long		 seed = 1;
	unsigned		 i, j;
	double			*fr, *rf, *an, t0, t1, t2;

	if (n == 0 || frames < 2 || refreshes < 2)
		return 2;
	memset(&opts, 0, sizeof opts);
	opts.no_mouse = true;
	memset(&t, 0, sizeof t);
	t.opts = &opts;
	t.sort = COL_SCORE;
	t.refresh_ms = 250;
	t.start_ms = tui_now_ms();
	config_defaults(&t.cfg);
	theme_builtin(&t.theme, false);
	lim.window = t.cfg.window;
	lim.max_executors = n > t.cfg.max_executors ? n : t.cfg.max_executors;
	lim.max_methods = t.cfg.max_methods;
	t.model = model_create(&lim);

	/* 20 runs each, a baseline from them, then 30 more runs with a few
	 * executors slowed down: alerts and bottlenecks to draw. */
	for (j = 0; j < 20; j++)
		for (i = 0; i < n; i++)
			add_run(t.model, i, &seed, 1);
	t.bl = baseline_from_model(t.model, "bench");
	for (j = 0; j < 30; j++)
		for (i = 0; i < n; i++)
			add_run(t.model, i, &seed, i % 997 == 0 ? 2.5 : 1);

	/* A 200x50 terminal writing to /dev/null. */
	setenv("LINES", "50", 1);
	setenv("COLUMNS", "200", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (out == NULL || in == NULL ||
	    (scr = newterm("xterm-256color", out, in)) == NULL) {
		fprintf(stderr, "frame: no terminal\n");
		return 2;
	}
	set_term(scr);
	start_color();
	t.ncolors = 256;
	t.curses = true;
	draw_colors(&t);
	getmaxyx(stdscr, t.lines, t.cols);
	/* Every id matches "D": all N rows are filtered, then sorted. */
	snprintf(t.filter, sizeof t.filter, "D");

	fr = calloc((size_t)frames, sizeof *fr);
	rf = calloc((size_t)refreshes, sizeof *rf);
	an = calloc((size_t)refreshes, sizeof *an);
	tui_rebuild_view(&t);
	tui_draw(&t);
	if (t.view.norder != n) {
		fprintf(stderr, "frame: %zu rows shown, want %u\n",
		    t.view.norder, n);
		return 1;
	}
	for (f = 0; f < frames; f++) {
		t.reverse = f % 2 == 1;
		t0 = now_ms();
		tui_reorder(&t);
		tui_draw(&t);
		fr[f] = now_ms() - t0;
	}
	t.reverse = false;
	for (f = 0; f < refreshes; f++) {
		/* New records for a few hundred executors, as between two
		 * refreshes of a busy stream. */
		for (i = 0; i < 500; i++)
			add_run(t.model, (unsigned)(rnd(&seed) * n), &seed,
			    rnd(&seed) < 0.5 ? 1 : 1.3);
		t0 = now_ms();
		tui_rebuild_view(&t);
		t1 = now_ms();
		tui_draw(&t);
		t2 = now_ms();
		rf[f] = t2 - t0;
		an[f] = t1 - t0;
	}
	printf("frame_ms %.3f %.3f\n", pct(fr, (size_t)frames, 0.5),
	    pct(fr, (size_t)frames, 0.99));
	printf("refresh_ms %.3f %.3f\n", pct(rf, (size_t)refreshes, 0.5),
	    pct(rf, (size_t)refreshes, 0.99));
	printf("rebuild_ms %.3f %.3f\n", pct(an, (size_t)refreshes, 0.5),
	    pct(an, (size_t)refreshes, 0.99));
	printf("alerts %zu rows %zu\n", t.view.nalerts, t.view.norder);

	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	free(fr);
	free(rf);
	free(an);
	view_free(&t.view);
	theme_free(&t.theme);
	baseline_free(t.bl);
	model_free(t.model);
	config_free(&t.cfg);
	free(t.sel_id);
	return 0;
}
