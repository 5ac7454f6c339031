/*
 * test_model.c - aggregation per executor: counts, exact statistics,
 * the recent window, methods, limits and kept rejections.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest.h"
#include "model.h"

static void
feed(struct model *m, const char *line)
{
	ingest_line(m, "t", line, strlen(line), 1, false);
}

static void
feed_run(struct model *m, const char *id, double t, int ok)
{
	char	line[512];

	snprintf(line, sizeof line, "{\"executor_id\":\"%s\",\"execution_time_ms\":%.17g,"
	    "\"memory_footprint_mb\":%g,\"success\":%s,\"error\":%s,"
	    "\"method_calls\":[{\"class_name\":\"C\",\"method_name\":\"m\","
	    "\"execution_time_ms\":%.17g,\"memory_delta_mb\":2,\"call_count\":2,"
	    "\"success\":%s}]}", id, t, t / 10, ok ? "true" : "false",
	    ok ? "null" : "\"bad\"", t / 2, ok ? "true" : "false");
	feed(m, line);
}

Test(model, counts_and_exact_stats)
{
	struct model_limits	lim = { .window = 3 };
	struct model		*m = model_create(&lim);
	struct executor		*ex;
	struct summary		 s;

	feed_run(m, "A", 10, 1);
	feed_run(m, "A", 20, 0);
	feed_run(m, "A", 30, 1);
	feed_run(m, "A", 40, 1);
	feed_run(m, "B", 5, 1);
	cr_assert_eq(m->records, 5);
	cr_assert_eq(m->nexecs, 2);
	ex = model_find(m, "A");
	cr_assert_not_null(ex);
	cr_assert_eq(ex->runs, 4);
	cr_assert_eq(ex->failures, 1);
	cr_assert_str_eq(ex->last_error, "bad");

	executor_summary_all(ex, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 4);
	cr_assert_eq(s.mean, 25);
	cr_assert(fabs(s.variance - 500.0 / 3.0) < 1e-12);
	cr_assert_eq(s.min, 10);
	cr_assert_eq(s.max, 40);
	cr_assert(fabs(s.p50 - 20) <= 0.2);

	/* The window holds the last three runs: 20, 30, 40. */
	executor_summary_recent(ex, m, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 3);
	cr_assert_eq(s.mean, 30);
	cr_assert_eq(s.p50, 30);

	cr_assert_eq(ex->nmethods, 1);
	cr_assert_str_eq(ex->methods[0].name, "C.m");
	cr_assert_eq(ex->methods[0].calls, 8);
	cr_assert_eq(ex->methods[0].failures, 1);
	cr_assert_eq(ex->methods[0].max_time_ms, 20);
	cr_assert_eq(method_mean_time(&ex->methods[0]), 50.0 / 8);
	cr_assert_eq(method_mean_mem(&ex->methods[0]), 2);
	model_free(m);
}

Test(model, window_zero_means_every_run_and_resize_keeps_newest)
{
	struct model_limits	lim = { .window = 0 };
	struct model		*m = model_create(&lim);
	struct summary		 s;
	int			 i;

	for (i = 1; i <= 10; i++)
		feed_run(m, "A", i, 1);
	executor_summary_recent(model_find(m, "A"), m, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 10);
	model_set_window(m, 4);
	for (i = 11; i <= 12; i++)
		feed_run(m, "A", i, 1);
	executor_summary_recent(model_find(m, "A"), m, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 2);	/* the ring starts empty when first sized */
	cr_assert_eq(s.mean, 11.5);
	model_set_window(m, 1);
	executor_summary_recent(model_find(m, "A"), m, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.mean, 12);
	model_free(m);
}

Test(model, executor_and_method_caps)
{
	struct model_limits	lim = { .window = 5, .max_executors = 3, .max_methods = 2 };
	struct model		*m = model_create(&lim);
	char			 id[16], line[256];
	int			 i;

	for (i = 0; i < 10; i++) {
		snprintf(id, sizeof id, "E%d", i);
		feed_run(m, id, 1, 1);
	}
	cr_assert_eq(m->nexecs, 3);
	cr_assert_eq(m->records, 3);
	cr_assert_eq(m->dropped_records, 7);
	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof line, "{\"executor_id\":\"E0\",\"method_calls\":"
		    "[{\"method_name\":\"m%d\"}]}", i);
		feed(m, line);
	}
	cr_assert_eq(model_find(m, "E0")->nmethods, 2);
	cr_assert_eq(model_find(m, "E0")->dropped_methods, 4);	/* C.m + m0 kept */
	model_free(m);
}

Test(model, many_executors_hash)
{
	struct model	*m = model_create(NULL);
	char		 id[32];
	int		 i;

	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "exec-%d", i);
		feed_run(m, id, i + 1, 1);
	}
	cr_assert_eq(m->nexecs, 5000);
	for (i = 0; i < 5000; i += 7) {
		snprintf(id, sizeof id, "exec-%d", i);
		cr_assert_not_null(model_find(m, id));
		cr_assert_eq(model_find(m, id)->m[METRIC_EXEC_TIME].all.mean, i + 1);
	}
	cr_assert_null(model_find(m, "nope"));
	model_free(m);
}

Test(model, rejections_counted_and_kept)
{
	struct model		*m = model_create(NULL);
	const struct rejection	*r;
	int			 i;

	for (i = 1; i <= 12; i++) {
		char	line[32];

		snprintf(line, sizeof line, "[%d]", i);
		ingest_line(m, "src", line, strlen(line), (uint64_t)i, false);
	}
	ingest_line(m, "src", "garbage", 7, 13, false);
	ingest_line(m, "src", NULL, 0, 14, true);
	ingest_line(m, "src", "   \t", 4, 15, false);	/* blank: ignored */
	cr_assert_eq(m->invalid, 14);
	cr_assert_eq(m->invalid_by[REJECT_NOT_OBJECT], 12);
	cr_assert_eq(m->invalid_by[REJECT_INVALID_JSON], 1);
	cr_assert_eq(m->invalid_by[REJECT_LINE_TOO_LONG], 1);
	r = model_rejection(m, 0);
	cr_assert_eq(r->line, 14);
	cr_assert_eq(r->reason, REJECT_LINE_TOO_LONG);
	r = model_rejection(m, 1);
	cr_assert_eq(r->line, 13);
	cr_assert_str_eq(r->source, "src");
	cr_assert_null(model_rejection(m, MODEL_REJECTIONS));
	cr_assert_eq(model_rejection(m, MODEL_REJECTIONS - 1)->line, 7);
	model_free(m);
}

Test(model, sparkline_ring)
{
	struct model	*m = model_create(NULL);
	double		 v[MODEL_SPARK_LEN];
	size_t		 n;
	int		 i;

	for (i = 1; i <= MODEL_SPARK_LEN + 10; i++)
		feed_run(m, "A", i, 1);
	n = executor_spark(model_find(m, "A"), v);
	cr_assert_eq(n, MODEL_SPARK_LEN);
	cr_assert_eq(v[0], 11);
	cr_assert_eq(v[n - 1], MODEL_SPARK_LEN + 10);
	model_free(m);
}

/* The sort-free moments of the window agree with the full summary. */
Test(model, window_moments_match_the_summary)
{
	struct model_limits	lim = { .window = 7 };
	struct model		*m = model_create(&lim);
	struct summary		 full, mom;
	int			 i;

	for (i = 0; i < 30; i++)
		feed_run(m, "A", (i * 37) % 11 + 0.5 * i, 1);
	executor_summary_recent(model_find(m, "A"), m, METRIC_EXEC_TIME, &full);
	executor_moments_recent(model_find(m, "A"), m, METRIC_EXEC_TIME, &mom);
	cr_assert_eq(mom.n, 7);
	cr_assert_eq(mom.n, full.n);
	cr_assert_eq(mom.mean, full.mean);
	cr_assert_eq(mom.variance, full.variance);
	cr_assert_eq(mom.min, full.min);
	cr_assert_eq(mom.max, full.max);
	cr_assert(isnan(mom.p50));
	model_set_window(m, 0);
	executor_moments_recent(model_find(m, "A"), m, METRIC_EXEC_TIME, &mom);
	cr_assert_eq(mom.n, 30);
	model_free(m);
}

/* The summaries a refresh asks for are remembered until the executor's
 * next run (or a window change): each new run shows at once. */
Test(model, summary_memos_follow_new_runs)
{
	struct model_limits	 lim = { .window = 4 };
	struct model		*m = model_create(&lim);
	const struct executor	*ex;
	struct summary		 s;
	int			 i;

	for (i = 0; i < 8; i++)
		feed_run(m, "A", 10, 1);
	ex = model_find(m, "A");
	executor_summary_all(ex, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.mean, 10);
	executor_moments_recent(ex, m, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.mean, 10);
	cr_assert_eq(s.n, 4);
	feed_run(m, "A", 100, 1);
	executor_summary_all(ex, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 9);
	cr_assert_eq(s.mean, 20);
	cr_assert_eq(s.max, 100);
	executor_moments_recent(ex, m, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 4);
	cr_assert_eq(s.mean, 32.5);
	model_set_window(m, 2);
	executor_moments_recent(ex, m, METRIC_EXEC_TIME, &s);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.mean, 55);
	model_free(m);
}

/* Unknown fields: counted per name, most frequent first, the table
 * bounded (newcomers past it counted as others), long names cut on a
 * character boundary; records without any metric counted. */
Test(model, unknown_fields_counted_bounded_and_sorted)
{
	struct model_limits	 lim = { 0 };
	struct model		*m = model_create(&lim);
	char			 line[512], buf[2048], name[128];
	int			 i;

	feed(m, "{\"executor_id\":\"a\",\"rare\":1,\"execution_time_ms\":1}");
	for (i = 0; i < 3; i++)
		feed(m, "{\"executor_id\":\"a\",\"exec_time_ms\":1}");
	model_unknown_summary(m, buf, sizeof buf);
	cr_assert_str_eq(buf, "exec_time_ms 3, rare 1");
	cr_assert_eq(m->no_metric, 3);
	for (i = 0; i < MODEL_UNKNOWN_FIELDS + 3; i++) {
		snprintf(line, sizeof line, "{\"executor_id\":\"a\",\"f%02d\":1,"
		    "\"execution_time_ms\":1}", i);
		feed(m, line);
	}
	cr_assert_eq(m->nunknown, MODEL_UNKNOWN_FIELDS);
	cr_assert_eq(m->unknown_other, 5);	/* 2 + 19 names, 16 kept */
	cr_assert_str_eq(m->unknown[0].name, "exec_time_ms");
	cr_assert_eq(m->no_metric, 3);
	model_free(m);

	/* 62 ASCII bytes then a two-byte character: cut before it. */
	m = model_create(&lim);
	memset(name, 'x', 62);
	name[62] = '\0';
	snprintf(line, sizeof line, "{\"executor_id\":\"a\",\"%s\\u00e9\":1}",
	    name);
	feed(m, line);
	cr_assert_eq(m->nunknown, 1);
	cr_assert_str_eq(m->unknown[0].name, name);
	model_free(m);
}
