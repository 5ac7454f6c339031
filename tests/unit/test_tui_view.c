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
#include "internal.h"

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

/* The order and ranks of a view kept across refreshes (its caches:
 * reused rows, insertion sort from the last order, merged id order) are
 * those of a view built afresh, whatever changes in between. */
static void
expect_same_view(const struct view *kept, const struct model *m,
    const struct analysis *a, enum view_col col, bool reverse,
    const char *filter)
{
	struct view	fresh;
	size_t		i;

	memset(&fresh, 0, sizeof fresh);
	view_build(&fresh, m, a);
	view_order(&fresh, col, reverse, filter);
	cr_assert_eq(kept->norder, fresh.norder, "col %d: %zu rows vs %zu",
	    col, kept->norder, fresh.norder);
	for (i = 0; i < fresh.norder; i++)
		cr_assert_eq(kept->order[i], fresh.order[i],
		    "col %d rev %d filter '%s': row %zu is %s, want %s", col,
		    reverse, filter, i, order_id(kept, i), order_id(&fresh, i));
	for (i = 0; i < fresh.nrows; i++) {
		cr_assert_eq(kept->rows[i].rank, fresh.rows[i].rank);
		cr_assert_eq(kept->rows[i].runs, fresh.rows[i].runs);
		cr_assert(kept->rows[i].avg == fresh.rows[i].avg ||
		    (isnan(kept->rows[i].avg) && isnan(fresh.rows[i].avg)));
		cr_assert_eq(kept->rows[i].status, fresh.rows[i].status);
	}
	cr_assert_eq(view_find(kept, fresh.norder > 0 ? order_id(&fresh,
	    fresh.norder / 2) : "none"), fresh.norder > 0 ?
	    (long)(fresh.norder / 2) : -1);
	view_free(&fresh);
}

Test(tui_view, kept_view_sorts_like_a_fresh_one)
{
	static const enum view_col cols[] = { COL_SCORE, COL_AVG, COL_RUNS,
	    COL_FAIL, COL_ID, COL_RANK, COL_SER, COL_STATUS, COL_TREND };
	static const char *filters[] = { "", "e1", "E2", "zz" };
	struct model_limits lim = { 10, 0, 0 };
	struct model	*m = model_create(&lim);
	struct config	 cfg;
	struct analysis	*a;
	struct view	 v;
	char		 id[32];
	unsigned long	 seed = 7;
	int		 step, i, k, n = 40;

	cfg_init(&cfg);
	memset(&v, 0, sizeof v);
	for (step = 0; step < 60; step++) {
		/* Some runs (some of them new executors, a few with no
		 * serialization time, ties in runs and failures). */
		for (k = 0; k < 25; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			i = (int)((seed >> 33) % (unsigned long)n);
			snprintf(id, sizeof id, "%s%d", i % 3 ? "e" : "E", i);
			add_runs(m, id, 1, 5 + (double)((seed >> 20) % 400) / 10,
			    i % 7 == 0 ? -1 : 1 + (double)(i % 5));
		}
		if (step % 10 == 9)
			n += 15;
		a = analysis_run(m, NULL, &cfg);
		view_build(&v, m, a);
		/* Mostly the same sort again (the incremental path), now and
		 * then another column, direction or filter. */
		k = step % 7 == 0 ? step / 7 : 0;
		view_order(&v, cols[k % 9], step % 11 == 5, filters[(step / 13) % 4]);
		expect_same_view(&v, m, a, cols[k % 9], step % 11 == 5,
		    filters[(step / 13) % 4]);
		/* A key between two refreshes: another order on the same copy. */
		view_order(&v, cols[(step + 3) % 9], step % 2, filters[step % 4]);
		expect_same_view(&v, m, a, cols[(step + 3) % 9], step % 2,
		    filters[step % 4]);
		view_order(&v, cols[k % 9], step % 11 == 5, filters[(step / 13) % 4]);
		analysis_free(a);
	}
	cr_expect_gt(m->nexecs, 100);
	view_free(&v);
	model_free(m);
	config_free(&cfg);
}
