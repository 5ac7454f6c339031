/*
 * eval.c - `make eval`: how the regression alerts do on a realistic
 * stream (issue 9's table).  400 executors x 200 runs from the
 * generator's noise model (sigma 0.15, AR 0.5, 2% outliers 2-6x); 200
 * unchanged, 50 each with a step x1.10 / x1.30 / x1.60 / x2.50 in
 * execution time at run 100.  The baseline is the same setup without
 * steps on another seed.  The stream is fed record by record into the
 * model and the analysis is read every 5 runs (and, again, after every
 * run), as the TUI and `report` would; an executor counts as alerted when
 * its status is WARN or CRIT.  Prints measured beside target per seed.
 *
 *   eval [SEEDS]   (default 3 seeds: 11, 12, 13)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "gen.h"
#include "ingest.h"
#include "model.h"

#define NEXEC	400
#define NRUNS	200
#define STEPRUN	100

static const double factors[5] = { 1.0, 1.10, 1.30, 1.60, 2.50 };

static unsigned
group_of(unsigned i)
{
	return i < 200 ? 0 : 1 + (i - 200) / 50;
}

static void
eval_opts(struct gen_opts *o, uint64_t seed, int steps)
{
	char		arg[64], id[32];
	unsigned	i;

	gen_defaults(o);
	o->executors = NEXEC;
	o->records = (uint64_t)NEXEC * NRUNS;
	o->seed = seed;
	o->fail_rate = 0;
	o->noise = 0.15;
	o->ar = 0.5;
	if (gen_set_outliers(o, "0.02:2-6") == -1)
		abort();
	for (i = 200; steps && i < NEXEC; i++) {
		gen_executor_name(i, id, sizeof id);
		snprintf(arg, sizeof arg, "%s:%g@%d", id, factors[group_of(i)],
		    STEPRUN);
		if (gen_add_step(o, arg) == -1)
			abort();
	}
}

/* The generated stream as a read-only FILE. */
static FILE *
eval_stream(const struct gen_opts *o)
{
	FILE	*f = tmpfile();

	if (f == NULL || gen_run(o, fileno(f)) == -1) {
		perror("eval: stream");
		exit(2);
	}
	rewind(f);
	return f;
}

static struct model *
eval_model(const struct config *cfg)
{
	struct model_limits	lim = { cfg->window, 0, 0 };

	return model_create(&lim);
}

static int
dcmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, dcmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct result {
	unsigned	ever[5];		/* executors ever alerted */
	unsigned	detected[5];		/* alerted at or after the step */
	double		delay[5];		/* median runs, step to alert */
	double		held;			/* later checks alerting (steps >= 1.3) */
};

static void
eval_run(uint64_t seed, const struct baseline *bl, const struct config *cfg,
    unsigned every, struct result *res)
{
	struct gen_opts	 o;
	struct model	*m = eval_model(cfg);
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0, i, nd[5] = { 0 };
	ssize_t		 len;
	uint64_t	 rec = 0, lineno = 0, later = 0, later_on = 0;
	static int	 first[NEXEC];
	static double	 d[5][NEXEC];
	unsigned	 run, g;

	eval_opts(&o, seed, 1);
	f = eval_stream(&o);
	model_set_reference(m, bl, cfg);
	memset(first, 0, sizeof first);
	memset(res, 0, sizeof *res);
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		ingest_line(m, "eval", line, (size_t)len, ++lineno, false);
		if (++rec % NEXEC != 0)
			continue;
		run = (unsigned)(rec / NEXEC);
		if (run % every != 0)
			continue;
		struct analysis *a = analysis_run(m, bl, cfg);

		for (i = 0; i < a->nexecs; i++) {
			struct executor	*ex = m->execs[i];
			unsigned	 idx = (unsigned)(strtoul(ex->id + 1, NULL, 10) - 1) * 5 +
			    (unsigned)(strtoul(strchr(ex->id, 'Q') + 1, NULL, 10) - 1);
			bool		 on = a->status[i] == STATUS_WARN ||
			    a->status[i] == STATUS_CRIT;

			g = group_of(idx);
			if (first[idx] > 0 && g >= 2) {
				later++;
				later_on += on;
			}
			if (on && first[idx] == 0) {
				first[idx] = (int)run;
				res->ever[g]++;
				if (run >= STEPRUN) {
					res->detected[g]++;
					d[g][nd[g]++] = run - STEPRUN;
				}
			}
		}
		for (i = 0; i < a->nregressions; i++)
			if (getenv("EVAL_DEBUG") && run == NRUNS)
				fprintf(stderr, "%s %s %.1f cp %llu n %llu\n",
				    a->regressions[i].ex->id,
				    metric_name(a->regressions[i].metric),
				    a->regressions[i].delta_percent,
				    (unsigned long long)a->regressions[i].change_run,
				    (unsigned long long)a->regressions[i].since_runs);
		analysis_free(a);
	}
	for (g = 0; g < 5; g++)
		res->delay[g] = median(d[g], nd[g]);
	res->held = later > 0 ? (double)later_on / (double)later : NAN;
	free(line);
	fclose(f);
	model_free(m);
}

static void
eval_print(const char *title, const struct result *r, unsigned every)
{
	printf("\n%s\n\n", title);
	printf("| row | measured | target |\n| --- | --- | --- |\n");
	printf("| unchanged executors ever alerted | %u of 200 | <= %d of 200 |\n",
	    r->ever[0], every == 1 ? 4 : 2);
	printf("| step x1.10 ever alerted | %u of 50 | <= 5 of 50 |\n", r->ever[1]);
	printf("| step x1.30 detected, median runs to alert | %u of 50, %.0f | "
	    "50 of 50, <= 15 |\n", r->detected[2], r->delay[2]);
	printf("| step x1.60 median runs to alert | %.0f | <= 10 |\n", r->delay[3]);
	printf("| step x2.50 median runs to alert | %.0f | <= 5 |\n", r->delay[4]);
	printf("| after the first alert, later checks alerting | %.1f%% | >= 97%% |\n",
	    r->held * 100);
}

int
main(int argc, char **argv)
{
	unsigned	nseeds = argc > 1 ? (unsigned)atoi(argv[1]) : 3, s;
	struct config	cfg;

	config_defaults(&cfg);
	printf("# exectop eval: 400 executors x 200 runs, sigma 0.15, AR 0.5, "
	    "2%% outliers 2-6x, steps at run 100; default config\n");
	for (s = 0; s < nseeds; s++) {
		uint64_t	 seed = 11 + s;
		struct gen_opts	 o;
		struct model	*bm = eval_model(&cfg);
		struct baseline	*bl;
		struct result	 r;
		char		 title[128];
		FILE		*f;
		char		*line = NULL;
		size_t		 cap = 0;
		ssize_t		 len;
		uint64_t	 ln = 0;

		/* The baseline: the same executors, no steps, seed + 1000. */
		eval_opts(&o, seed + 1000, 0);
		f = eval_stream(&o);
		while ((len = getline(&line, &cap, f)) > 0) {
			if (line[len - 1] == '\n')
				len--;
			ingest_line(bm, "baseline", line, (size_t)len, ++ln, false);
		}
		free(line);
		fclose(f);
		bl = baseline_from_model(bm, "eval");
		model_free(bm);

		eval_run(seed, bl, &cfg, 5, &r);
		snprintf(title, sizeof title, "## seed %llu, checks every 5 runs",
		    (unsigned long long)seed);
		eval_print(title, &r, 5);
		eval_run(seed, bl, &cfg, 1, &r);
		snprintf(title, sizeof title, "## seed %llu, checks after every run",
		    (unsigned long long)seed);
		eval_print(title, &r, 1);
		baseline_free(bl);
	}
	config_free(&cfg);
	return 0;
}
