/*
 * test_analysis.c - the regression rules (threshold edges, critical
 * factor, min_samples, significance on and off, zero and negative
 * baselines, improvements), bottleneck scores and their order, rankings.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "ingest.h"
#include "metric.h"
#include "model.h"
#include "xmalloc.h"

static struct config cfg;

static void
setup(void)
{
	int	k;

	config_defaults(&cfg);
	for (k = 0; k < METRIC_COUNT; k++)
		cfg.has_threshold[k] = false;
	cfg.has_threshold[METRIC_EXEC_TIME] = true;
	cfg.threshold[METRIC_EXEC_TIME] = 20;
	cfg.critical_factor = 2;
	cfg.min_samples = 1;
	cfg.significance = 0;
	cfg.window = 0;
}

static void
teardown(void)
{
	config_free(&cfg);
}

TestSuite(analysis, .init = setup, .fini = teardown);

static void
run(struct model *m, const char *id, double t)
{
	char	line[256];

	snprintf(line, sizeof line, "{\"executor_id\":\"%s\",\"execution_time_ms\":%.17g}",
	    id, t);
	ingest_line(m, "t", line, strlen(line), 1, false);
}

/* A one-executor baseline of execution time. */
static struct baseline *
baseline_of(const char *id, double mean, double var, uint64_t n)
{
	struct baseline	*b = xcalloc(1, sizeof *b);

	b->version = BASELINE_VERSION;
	b->n = 1;
	b->entries = xcalloc(1, sizeof *b->entries);
	b->entries[0].executor_id = xstrdup(id);
	b->entries[0].m[METRIC_EXEC_TIME] = (struct baseline_metric){
		.present = true, .n = n, .mean = mean, .variance = var,
		.min = mean, .max = mean, .p50 = mean, .p95 = mean };
	return b;
}

/* Status of executor "A" whose runs all take t, against baseline 100. */
static enum exec_status
status_at(double t)
{
	struct model	*m = model_create(&(struct model_limits){ .window = 0 });
	struct baseline	*b = baseline_of("A", 100, NAN, 1);
	struct analysis	*a;
	enum exec_status st;

	run(m, "A", t);
	a = analysis_run(m, b, &cfg);
	st = a->status[0];
	analysis_free(a);
	model_free(m);
	baseline_free(b);
	return st;
}

Test(analysis, threshold_and_critical_edges)
{
	cr_assert_eq(status_at(100), STATUS_OK);
	cr_assert_eq(status_at(120), STATUS_OK);	/* delta 20 is not > 20 */
	cr_assert_eq(status_at(120.001), STATUS_WARN);
	cr_assert_eq(status_at(140), STATUS_WARN);	/* 40 is not > 40 */
	cr_assert_eq(status_at(140.001), STATUS_CRIT);
	cr_assert_eq(status_at(80), STATUS_OK);	/* -20 is not < -20 */
	cr_assert_eq(status_at(79), STATUS_IMPROVED);
	cfg.critical_factor = 3;
	cr_assert_eq(status_at(159), STATUS_WARN);
	cr_assert_eq(status_at(161), STATUS_CRIT);
}

Test(analysis, regression_fields)
{
	struct model	*m = model_create(&(struct model_limits){ .window = 0 });
	struct baseline	*b = baseline_of("A", 100, NAN, 1);
	struct analysis	*a;
	const struct finding *f;

	run(m, "A", 145.2);
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert_eq(a->ncritical, 1);
	f = &a->regressions[0];
	cr_assert_str_eq(f->ex->id, "A");
	cr_assert_eq(f->metric, METRIC_EXEC_TIME);
	cr_assert_eq(f->severity, SEV_CRITICAL);
	cr_assert_eq(f->baseline_value, 100);
	cr_assert_eq(f->current_value, 145.2);
	cr_assert(fabs(f->delta_percent - 45.2) < 1e-9);
	cr_assert(isnan(f->p_value));
	cr_assert_eq(f->samples, 1);
	cr_assert(strstr(f->recommendation, "execution time increased by 45.2%") != NULL,
	    "%s", f->recommendation);
	analysis_free(a);
	model_free(m);
	baseline_free(b);
}

Test(analysis, min_samples_gives_pending)
{
	struct model	*m = model_create(&(struct model_limits){ .window = 10 });
	struct baseline	*b = baseline_of("A", 100, NAN, 1);
	struct analysis	*a;
	int		 i;

	cfg.min_samples = 5;
	cfg.window = 10;
	for (i = 0; i < 4; i++)
		run(m, "A", 300);
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 0);
	cr_assert_eq(a->npending, 1);
	cr_assert_eq(a->pending[0].samples, 4);
	cr_assert_eq(a->pending[0].min_samples, 5);
	cr_assert_eq(a->status[0], STATUS_PENDING);
	analysis_free(a);
	run(m, "A", 300);
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert_eq(a->npending, 0);
	analysis_free(a);
	model_free(m);
	baseline_free(b);
}

Test(analysis, significance_gates_noisy_deltas)
{
	struct model	*m = model_create(&(struct model_limits){ .window = 0 });
	struct baseline	*b = baseline_of("A", 100, 400, 50);	/* sd 20 */
	double		 runs[] = { 60, 190, 80, 170, 125 };	/* mean 125, sd ~55 */
	struct analysis	*a;
	int		 i;

	for (i = 0; i < 5; i++)
		run(m, "A", runs[i]);
	cfg.significance = 0.05;
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 0, "noisy 25%% delta must not alert");
	analysis_free(a);

	cfg.significance = 0;		/* test off: the threshold alone */
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert(isnan(a->regressions[0].p_value));
	analysis_free(a);
	model_free(m);

	/* A consistent slowdown passes the test. */
	m = model_create(&(struct model_limits){ .window = 0 });
	for (i = 0; i < 20; i++)
		run(m, "A", 150 + (i % 5));
	cfg.significance = 0.05;
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert_lt(a->regressions[0].p_value, 0.05);
	cr_assert_eq(a->regressions[0].severity, SEV_CRITICAL);
	analysis_free(a);
	model_free(m);
	baseline_free(b);
}

Test(analysis, zero_missing_and_negative_baselines)
{
	struct model	*m = model_create(&(struct model_limits){ .window = 0 });
	struct baseline	*b = baseline_of("A", 0, NAN, 1);
	struct analysis	*a;

	run(m, "A", 50);
	run(m, "B", 50);	/* not in the baseline at all */
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 0);
	cr_assert_eq(a->nfresh, 2);
	cr_assert(isnan(a->fresh[0].delta_percent));
	cr_assert_eq(a->status[0], STATUS_NEW);
	cr_assert_eq(a->status[1], STATUS_NEW);
	analysis_free(a);
	baseline_free(b);
	model_free(m);

	/* Memory footprint is a delta and may be negative: -10 -> -5 is
	 * +50% (more memory kept), a regression. */
	cfg.has_threshold[METRIC_EXEC_TIME] = false;
	cfg.has_threshold[METRIC_MEM_FOOTPRINT] = true;
	cfg.threshold[METRIC_MEM_FOOTPRINT] = 30;
	m = model_create(&(struct model_limits){ .window = 0 });
	{
		const char *l = "{\"executor_id\":\"A\",\"memory_footprint_mb\":-5}";

		ingest_line(m, "t", l, strlen(l), 1, false);
	}
	b = baseline_of("A", 0, NAN, 1);
	b->entries[0].m[METRIC_MEM_FOOTPRINT] = (struct baseline_metric){
	    .present = true, .n = 1, .mean = -10, .variance = NAN };
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert(fabs(a->regressions[0].delta_percent - 50) < 1e-9);
	cr_assert_eq(a->regressions[0].severity, SEV_WARNING);
	analysis_free(a);
	baseline_free(b);
	model_free(m);
}

Test(analysis, no_baseline_no_findings)
{
	struct model	*m = model_create(NULL);
	struct analysis	*a;

	run(m, "A", 50);
	a = analysis_run(m, NULL, &cfg);
	cr_assert_eq(a->nregressions + a->nfresh + a->npending + a->nimprovements, 0);
	cr_assert_eq(a->status[0], STATUS_OK);
	analysis_free(a);
	model_free(m);
}

Test(analysis, bottleneck_scores_and_order)
{
	struct model	*m = model_create(NULL);
	struct analysis	*a;
	char		 line[512];
	const char	*ids[] = { "low", "high", "mid", "mid2" };
	double		 t[] = { 10, 2000, 100, 100 };
	int		 i;

	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof line, "{\"executor_id\":\"%s\","
		    "\"execution_time_ms\":%g,\"memory_footprint_mb\":%g,"
		    "\"serialization_time_ms\":%g,\"method_calls\":["
		    "{\"class_name\":\"K\",\"method_name\":\"fast\",\"execution_time_ms\":1,"
		    "\"memory_delta_mb\":50,\"call_count\":1},"
		    "{\"class_name\":\"K\",\"method_name\":\"slow\",\"execution_time_ms\":9,"
		    "\"memory_delta_mb\":1,\"call_count\":1}]}", ids[i], t[i], t[i] / 2, t[i] / 4);
		ingest_line(m, "t", line, strlen(line), 1, false);
	}
	cfg.top_n = 3;
	a = analysis_run(m, NULL, &cfg);
	/* score = 0.5 t + 0.3 t/2 + 0.2 t/4 = 0.7 t */
	for (i = 0; i < 4; i++)
		cr_assert(fabs(a->score[i] - 0.7 * t[i]) < 1e-9);
	cr_assert_eq(a->nbottlenecks, 3);
	cr_assert_str_eq(a->bottlenecks[0].ex->id, "high");
	cr_assert_str_eq(a->bottlenecks[1].ex->id, "mid");	/* tie: by id */
	cr_assert_str_eq(a->bottlenecks[2].ex->id, "mid2");
	cr_assert_str_eq(a->bottlenecks[0].slowest->name, "K.slow");
	cr_assert_str_eq(a->bottlenecks[0].memory_intensive->name, "K.fast");
	cr_assert(strstr(a->bottlenecks[0].recommendation, "execution time") != NULL);
	cr_assert_str_eq(a->bottlenecks[2].recommendation,
	    "Performance acceptable, monitor for regressions");
	cr_assert_eq(a->nslowest, 3);
	cr_assert_eq(a->nmemory_intensive, 3);
	cr_assert_eq(a->nserialization_heavy, 3);
	cr_assert_str_eq(a->slowest[0]->id, "high");
	cr_assert_str_eq(a->serialization_heavy[2]->id, "mid2");
	cr_assert_eq(a->total_runs, 4);
	cr_assert(fabs(a->total_execution_time_ms - 2210) < 1e-9);
	cr_assert(fabs(a->avg_execution_time_ms - 552.5) < 1e-9);

	/* Weights are configurable. */
	cfg.weight[METRIC_EXEC_TIME] = 0;
	cfg.weight[METRIC_MEM_FOOTPRINT] = 1;
	cfg.weight[METRIC_SER_TIME] = 0;
	cr_assert_eq(analysis_score(&cfg, 5, 7, 9), 7);
	analysis_free(a);
	model_free(m);
}

/* Issue 9 item 7: no "acceptable" advice next to a CRIT of the same
 * executor; an executor without a regression keeps it. */
Test(analysis, bottleneck_advice_not_acceptable_when_regressed)
{
	struct model	*m = model_create(&(struct model_limits){ .window = 0 });
	struct baseline	*b = baseline_of("A", 100, NAN, 1);
	struct analysis	*a;
	size_t		 i;

	run(m, "A", 390);	/* +290%: CRIT, still under the time advice */
	run(m, "B", 50);	/* no baseline: NEW */
	cfg.top_n = 2;
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->ncritical, 1);
	cr_assert_eq(a->nbottlenecks, 2);
	for (i = 0; i < 2; i++) {
		const struct bottleneck *bn = &a->bottlenecks[i];

		if (strcmp(bn->ex->id, "A") == 0)
			cr_assert(strstr(bn->recommendation, "Regressed") != NULL,
			    "%s", bn->recommendation);
		else
			cr_assert_str_eq(bn->recommendation,
			    "Performance acceptable, monitor for regressions");
	}
	analysis_free(a);
	model_free(m);
	baseline_free(b);
}

Test(analysis, regressions_sorted_critical_first)
{
	struct model	*m = model_create(NULL);
	struct baseline	*b = xcalloc(1, sizeof *b);
	struct analysis	*a;
	const char	*ids[] = { "a", "b", "c" };
	double		 t[] = { 130, 300, 135 };
	int		 i;

	b->n = 3;
	b->entries = xcalloc(3, sizeof *b->entries);
	for (i = 0; i < 3; i++) {
		b->entries[i].executor_id = xstrdup(ids[i]);
		b->entries[i].m[METRIC_EXEC_TIME] = (struct baseline_metric){
		    .present = true, .n = 1, .mean = 100, .variance = NAN };
		run(m, ids[i], t[i]);
	}
	a = analysis_run(m, b, &cfg);
	cr_assert_eq(a->nregressions, 3);
	cr_assert_str_eq(a->regressions[0].ex->id, "b");
	cr_assert_str_eq(a->regressions[1].ex->id, "c");
	cr_assert_str_eq(a->regressions[2].ex->id, "a");
	analysis_free(a);
	baseline_free(b);
	model_free(m);
}

/* The top-n selection of a large table (rankings and bottlenecks take
 * the first top_n without sorting everything) gives the order a full
 * sort gives: means from a scrambled sequence with many ties, broken by
 * id; executors without the metric left out. */
static int
top_cmp(const void *pa, const void *pb)
{
	const double	*a = pa, *b = pb;

	if (a[0] != b[0])
		return a[0] > b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);	/* ids are E<index>, index in [1] */
}

Test(analysis, top_n_of_many_is_the_sorted_prefix)
{
	struct model	*m = model_create(NULL);
	struct analysis	*a;
	char		 line[256], id[32];
	double		 want[400][2];
	size_t		 i, nwant = 0;

	for (i = 0; i < 400; i++) {
		double	t = (double)((i * 7919) % 37);	/* ties */

		snprintf(id, sizeof id, "E%03zu", i);
		if (i % 9 == 0)		/* no execution time */
			snprintf(line, sizeof line, "{\"executor_id\":\"%s\","
			    "\"memory_footprint_mb\":1}", id);
		else {
			snprintf(line, sizeof line, "{\"executor_id\":\"%s\","
			    "\"execution_time_ms\":%g,\"memory_footprint_mb\":1,"
			    "\"serialization_time_ms\":0}", id, t);
			want[nwant][0] = t;
			want[nwant][1] = (double)i;
			nwant++;
		}
		ingest_line(m, "t", line, strlen(line), 1, false);
	}
	qsort(want, nwant, sizeof want[0], top_cmp);
	cfg.top_n = 12;
	a = analysis_run(m, NULL, &cfg);
	cr_assert_eq(a->nslowest, 12);
	cr_assert_eq(a->nbottlenecks, 12);
	for (i = 0; i < 12; i++) {
		snprintf(id, sizeof id, "E%03zu", (size_t)want[i][1]);
		cr_assert_str_eq(a->slowest[i]->id, id, "slowest[%zu]", i);
		/* score = 0.5 t + 0.3 * 1: the same order */
		cr_assert_str_eq(a->bottlenecks[i].ex->id, id, "bottleneck[%zu]",
		    i);
	}
	analysis_free(a);
	model_free(m);
}

/* The one delta rule every view uses: relative to |baseline mean|, so
 * the sign is that of cur - base; NAN without a usable baseline. */
Test(analysis, metric_delta_percent_sign_and_edges)
{
	cr_expect_float_eq(metric_delta_percent(-10, -9.5), 5.0, 1e-9);
	cr_expect_float_eq(metric_delta_percent(-10, -12), -20.0, 1e-9);
	cr_expect_float_eq(metric_delta_percent(10, 9.5), -5.0, 1e-9);
	cr_expect_float_eq(metric_delta_percent(10, 13), 30.0, 1e-9);
	cr_expect(isnan(metric_delta_percent(0, 1)));
	cr_expect(isnan(metric_delta_percent(NAN, 1)));
	cr_expect(isnan(metric_delta_percent(1, NAN)));
	cr_expect_eq(metric_prec(METRIC_SER_SIZE), 0);
	cr_expect_eq(metric_prec(METRIC_EXEC_TIME), 2);
}
