/*
 * test_detect.c - the change detector on hand-made series: one outlier
 * raises nothing, a step is found at the right run with the right shift,
 * a recovery clears the alarm, a fall raises an improvement, a baseline
 * without spread leaves it idle; and through the model and the analysis
 * (change point, shift and interval on the finding).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "detect.h"
#include "ingest.h"
#include "model.h"

/* A deterministic noisy series: 100 * exp(0.1 * u), u in [-1.5, 1.5]. */
static double
noisy(unsigned i)
{
	return 100 * exp(0.1 * (((i * 7919u) % 31u) / 10.0 - 1.5));
}

static void
ref20(struct detect_ref *r)
{
	/* Median 100, p95 at +0.1 * 1.645 in log space: sigma 0.1. */
	detect_ref_init(r, 200, 100, 100 * exp(0.1 * 1.6449), 20, 1e5);
	cr_assert(r->active);
}

Test(detect, single_outlier_raises_nothing)
{
	struct detect_ref	r;
	struct detect		d;
	unsigned		i;

	ref20(&r);
	detect_init(&d);
	for (i = 0; i < 300; i++) {
		detect_update(&d, &r, i == 150 ? noisy(i) * 6 : noisy(i), i);
		cr_assert_eq(d.state, DETECT_NONE, "alarm at run %u", i + 1);
	}
	/* Three outliers close together: still nothing. */
	for (i = 0; i < 30; i++)
		detect_update(&d, &r, i % 10 == 0 ? 600 : noisy(i), i);
	cr_assert_eq(d.state, DETECT_NONE);
}

Test(detect, step_found_at_its_run_and_cleared_on_recovery)
{
	struct detect_ref	r;
	struct detect		d;
	unsigned		i, alarm = 0, cleared = 0;

	ref20(&r);
	detect_init(&d);
	for (i = 1; i <= 400; i++) {
		double	v = noisy(i) * (i >= 101 && i <= 250 ? 1.6 : 1);

		detect_update(&d, &r, v, 1000 + i);
		if (d.state == DETECT_UP && alarm == 0)
			alarm = i;
		if (alarm > 0 && d.state == DETECT_NONE && cleared == 0)
			cleared = i;
		if (alarm > 0 && cleared == 0 && i <= 250)
			cr_assert_eq(d.state, DETECT_UP, "dropped at run %u", i);
		if (i == 250) {
			cr_assert_geq(d.cp_run, 99);
			cr_assert_leq(d.cp_run, 103, "change point %llu",
			    (unsigned long long)d.cp_run);
			cr_assert_float_eq(d.cp_ts, 1000.0 + (double)d.cp_run, 1e-9);
			cr_assert(fabs(exp(d.ep_sum / (double)d.ep_n) - 1.6) < 0.05,
			    "shift %g", exp(d.ep_sum / (double)d.ep_n));
		}
	}
	cr_assert(alarm > 101 && alarm <= 112, "alarm at %u", alarm);
	cr_assert(cleared > 250 && cleared <= 275, "cleared at %u", cleared);
	cr_assert_eq(d.episodes, 1);
}

Test(detect, below_threshold_step_stays_quiet_fall_is_improvement)
{
	struct detect_ref	r;
	struct detect		d;
	unsigned		i;

	ref20(&r);
	detect_init(&d);
	for (i = 1; i <= 500; i++) {
		detect_update(&d, &r, noisy(i) * 1.08, i);
		cr_assert_eq(d.state, DETECT_NONE, "x1.08 alarmed at %u", i);
	}
	for (i = 1; i <= 40; i++)
		detect_update(&d, &r, noisy(i) * 0.6, i);
	cr_assert_eq(d.state, DETECT_DOWN);
}

Test(detect, no_spread_no_detector)
{
	struct detect_ref	r;

	detect_ref_init(&r, 1, 100, 100, 20, 1e5);	/* profiler's n = 1 */
	cr_assert(!r.active);
	detect_ref_init(&r, 50, 100, 90, 20, 1e5);
	cr_assert(!r.active);
	cr_assert_gt(detect_limit(0.5, 1e5), detect_limit(0.5, 1e3));
	cr_assert_gt(detect_limit(0.25, 1e4), detect_limit(0.5, 1e4));
}

static void
feed(struct model *m, const char *id, double t, unsigned run)
{
	char	line[256];
	int	n;

	n = snprintf(line, sizeof line, "{\"executor_id\":\"%s\","
	    "\"execution_time_ms\":%.17g,\"timestamp\":%u}", id, t, 5000 + run);
	ingest_line(m, "t", line, (size_t)n, run, false);
}

Test(detect, analysis_reports_change_point_and_shift)
{
	struct config	 cfg;
	struct model	*bm, *m;
	struct baseline	*bl;
	struct analysis	*a;
	unsigned	 i;

	config_defaults(&cfg);
	bm = model_create(NULL);
	for (i = 1; i <= 300; i++)
		feed(bm, "E", noisy(i), i);
	bl = baseline_from_model(bm, "t");
	m = model_create(&(struct model_limits){ cfg.window, 0, 0 });
	model_set_reference(m, bl, &cfg);
	for (i = 1; i <= 80; i++)
		feed(m, "E", noisy(i + 7) * (i > 40 ? 3 : 1), i);
	a = analysis_run(m, bl, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert(a->regressions[0].detected);
	cr_assert_eq(a->regressions[0].severity, SEV_CRITICAL);
	cr_assert(a->regressions[0].change_run >= 40 &&
	    a->regressions[0].change_run <= 42, "cp %llu",
	    (unsigned long long)a->regressions[0].change_run);
	cr_assert_float_eq(a->regressions[0].change_ts,
	    5000.0 + (double)a->regressions[0].change_run, 1e-9);
	cr_assert(fabs(a->regressions[0].shift_percent - 200) < 15, "shift %g",
	    a->regressions[0].shift_percent);
	cr_assert_lt(a->regressions[0].shift_lo, a->regressions[0].shift_percent);
	cr_assert_gt(a->regressions[0].shift_hi, a->regressions[0].shift_percent);
	analysis_free(a);
	/* Without the reference (significance 0): the window rule, no
	 * change point. */
	cfg.significance = 0;
	model_set_reference(m, bl, &cfg);
	a = analysis_run(m, bl, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert(!a->regressions[0].detected);
	analysis_free(a);
	/* Back on (a threshold edited live): the detector restarts on the
	 * window's runs and finds the same change point. */
	cfg.significance = 0.05;
	model_set_reference(m, bl, &cfg);
	a = analysis_run(m, bl, &cfg);
	cr_assert_eq(a->nregressions, 1);
	cr_assert(a->regressions[0].detected);
	cr_assert(a->regressions[0].change_run >= 40 &&
	    a->regressions[0].change_run <= 42, "cp %llu",
	    (unsigned long long)a->regressions[0].change_run);
	analysis_free(a);
	baseline_free(bl);
	model_free(bm);
	model_free(m);
	config_free(&cfg);
}
