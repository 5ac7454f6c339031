/*
 * test_tui_view.c - the TUI's display copy of model and analysis: rows,
 * ranks, sorting (NAN last either way), filtering, alerts copied critical
 * first, and the alert diff the threshold editor reports.  The copy must
 * outlive the model it came from (pause keeps showing it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "ingest.h"
#include "model.h"
#include "../../src/tui/view.h"

/* Adds n runs of id taking ms each (+-1 of noise); ser < 0: field left
 * out. */
static void
add_runs(struct model *m, const char *id, int n, double ms, double ser)
{
	char	line[512];
	int	i, len;

	for (i = 0; i < n; i++) {
		if (ser < 0)
			len = snprintf(line, sizeof line, "{\"executor_id\":\"%s\","
			    "\"execution_time_ms\":%.3f,\"memory_footprint_mb\":"
			    "%.1f}", id, ms + (i % 3) - 1, 10.0);
		else
			len = snprintf(line, sizeof line, "{\"executor_id\":\"%s\","
			    "\"execution_time_ms\":%.3f,\"memory_footprint_mb\":"
			    "%.1f,\"serialization_time_ms\":%.2f}", id,
			    ms + (i % 3) - 1, 10.0, ser);
		ingest_line(m, "test", line, (size_t)len, (uint64_t)i + 1,
		    false);
	}
}

static struct model *
make_model(void)
{
	struct model_limits	lim = { 0, 0, 0 };
	struct model		*m = model_create(&lim);

	add_runs(m, "alpha", 20, 10, 1);
	add_runs(m, "Beta", 20, 30, 2);
	add_runs(m, "gamma", 20, 20, -1);
	cr_assert_eq(m->records, 60);
	cr_assert_eq(m->nexecs, 3);
	return m;
}

static void
cfg_init(struct config *c)
{
	config_defaults(c);
	c->min_samples = 5;
	c->significance = 0;
	c->window = 0;
}

static const char *
order_id(const struct view *v, size_t i)
{
	return v->rows[v->order[i]].id;
}

Test(tui_view, rows_and_ranks)
{
	struct model	*m = make_model();
	struct config	 cfg;
	struct analysis	*a;
	struct view	 v;
	struct summary	 s;
	size_t		 i;

	cfg_init(&cfg);
	a = analysis_run(m, NULL, &cfg);
	memset(&v, 0, sizeof v);
	view_build(&v, m, a);
	cr_assert_eq(v.nrows, 3);
	cr_expect_eq(v.records, 60);
	for (i = 0; i < 3; i++) {
		cr_expect_str_eq(v.rows[i].id, m->execs[i]->id);
		cr_expect_eq(v.rows[i].runs, 20);
		executor_summary_all(m->execs[i], METRIC_EXEC_TIME, &s);
		cr_expect_eq(v.rows[i].avg, s.mean);
		cr_expect_eq(v.rows[i].p95, s.p95);
		cr_expect_eq(v.rows[i].score, a->score[i]);
		cr_expect_eq(v.rows[i].status, a->status[i]);
		cr_expect_eq(v.rows[i].nspark, 20);
	}
	/* Beta is slowest: highest score, rank 1. */
	cr_expect_eq(v.rows[1].rank, 1);
	cr_expect_eq(v.rows[2].rank, 2);
	cr_expect_eq(v.rows[0].rank, 3);
	cr_expect_eq(v.nbns, a->nbottlenecks);
	cr_expect_str_eq(v.bns[0].id, "Beta");
	cr_expect_eq(v.id_width, 8);	/* the minimum */
	analysis_free(a);
	/* The copy outlives the model. */
	model_free(m);
	view_order(&v, COL_ID, false, NULL);
	cr_expect_str_eq(order_id(&v, 0), "Beta");
	cr_expect_str_eq(v.bns[0].id, "Beta");
	view_free(&v);
	config_free(&cfg);
}

Test(tui_view, sort_filter_find)
{
	struct model	*m = make_model();
	struct config	 cfg;
	struct analysis	*a;
	struct view	 v;

	cfg_init(&cfg);
	a = analysis_run(m, NULL, &cfg);
	memset(&v, 0, sizeof v);
	view_build(&v, m, a);

	view_order(&v, COL_AVG, false, NULL);
	cr_assert_eq(v.norder, 3);
	cr_expect_str_eq(order_id(&v, 0), "Beta");	/* largest first */
	cr_expect_str_eq(order_id(&v, 2), "alpha");
	view_order(&v, COL_AVG, true, NULL);
	cr_expect_str_eq(order_id(&v, 0), "alpha");
	view_order(&v, COL_ID, false, NULL);		/* strcmp order */
	cr_expect_str_eq(order_id(&v, 0), "Beta");
	cr_expect_str_eq(order_id(&v, 1), "alpha");
	view_order(&v, COL_RANK, false, NULL);
	cr_expect_str_eq(order_id(&v, 0), "Beta");

	/* gamma has no serialization time: last both ways. */
	view_order(&v, COL_SER, false, NULL);
	cr_expect_str_eq(order_id(&v, 0), "Beta");
	cr_expect_str_eq(order_id(&v, 2), "gamma");
	view_order(&v, COL_SER, true, NULL);
	cr_expect_str_eq(order_id(&v, 0), "alpha");
	cr_expect_str_eq(order_id(&v, 2), "gamma");

	view_order(&v, COL_SCORE, false, "BET");	/* case-insensitive */
	cr_assert_eq(v.norder, 1);
	cr_expect_str_eq(order_id(&v, 0), "Beta");
	cr_expect_eq(view_find(&v, "Beta"), 0);
	cr_expect_eq(view_find(&v, "alpha"), -1);
	view_order(&v, COL_SCORE, false, "a");
	cr_expect_eq(v.norder, 3);
	view_order(&v, COL_SCORE, false, "zzz");
	cr_expect_eq(v.norder, 0);
	view_order(&v, COL_SCORE, false, "");
	cr_expect_eq(v.norder, 3);
	cr_expect_eq(view_find(&v, NULL), -1);

	cr_expect_str_eq(view_col_title(COL_STATUS), "STATUS");
	cr_expect(!view_col_desc(COL_ID));
	cr_expect(view_col_desc(COL_AVG));
	view_free(&v);
	analysis_free(a);
	model_free(m);
	config_free(&cfg);
}

Test(tui_view, alerts_and_diff)
{
	struct model	*base = make_model(), *m;
	struct model_limits lim = { 0, 0, 0 };
	struct baseline	*bl;
	struct config	 cfg, loose;
	struct analysis	*a, *b;
	struct view	 v;
	size_t		 raised, cleared;

	cfg_init(&cfg);
	bl = baseline_from_model(base, "test");
	m = model_create(&lim);
	add_runs(m, "alpha", 20, 30, 1);	/* 3x slower: critical */
	add_runs(m, "Beta", 20, 39, 2);		/* +30%: warning */
	add_runs(m, "gamma", 20, 20, -1);	/* unchanged */
	a = analysis_run(m, bl, &cfg);
	memset(&v, 0, sizeof v);
	view_build(&v, m, a);
	cr_assert_geq(v.nalerts, 2);
	cr_expect_eq(v.nalerts, a->nregressions);
	cr_expect_eq(v.ncritical, a->ncritical);
	cr_expect_str_eq(v.alerts[0].id, "alpha");
	cr_expect_eq(v.alerts[0].metric, METRIC_EXEC_TIME);
	cr_expect_eq(v.alerts[0].severity, SEV_CRITICAL);
	cr_expect_gt(v.alerts[0].delta_percent, 150);
	cr_expect_eq(v.rows[0].status, STATUS_CRIT);
	cr_expect(v.rows[0].f[METRIC_EXEC_TIME].has);
	cr_expect_eq(v.rows[0].f[METRIC_EXEC_TIME].kind, FINDING_REGRESSION);
	cr_expect_eq(v.rows[1].status, STATUS_WARN);
	cr_expect_eq(v.rows[2].status, STATUS_OK);

	/* Thresholds of 500%: both alerts clear. */
	config_copy(&loose, &cfg);
	loose.threshold[METRIC_EXEC_TIME] = 500;
	b = analysis_run(m, bl, &loose);
	view_alert_diff(a, b, &raised, &cleared);
	cr_expect_eq(raised, 0);
	cr_expect_eq(cleared, a->nregressions - b->nregressions);
	cr_expect_geq(cleared, 2);
	view_alert_diff(b, a, &raised, &cleared);
	cr_expect_geq(raised, 2);
	cr_expect_eq(cleared, 0);
	view_alert_diff(a, a, &raised, &cleared);
	cr_expect_eq(raised + cleared, 0);

	analysis_free(b);
	config_free(&loose);
	view_free(&v);
	analysis_free(a);
	model_free(m);
	model_free(base);
	baseline_free(bl);
	config_free(&cfg);
}

Test(tui_view, empty_model)
{
	struct model_limits lim = { 0, 0, 0 };
	struct model	*m = model_create(&lim);
	struct config	 cfg;
	struct analysis	*a;
	struct view	 v;

	cfg_init(&cfg);
	a = analysis_run(m, NULL, &cfg);
	memset(&v, 0, sizeof v);
	view_build(&v, m, a);
	view_order(&v, COL_SCORE, false, NULL);
	cr_expect_eq(v.nrows, 0);
	cr_expect_eq(v.norder, 0);
	cr_expect_eq(v.nalerts, 0);
	view_build(&v, m, NULL);	/* rebuild over the old copy */
	view_free(&v);
	view_free(NULL);
	analysis_free(a);
	model_free(m);
	config_free(&cfg);
}
