/*
 * test_report.c - the JSON, Markdown and HTML reports over a real model,
 * baseline and analysis: values, nulls for undefined statistics, hostile
 * stream text, and atomic saving.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "ingest.h"
#include "model.h"
#include "record.h"
#include "report.h"
#include "testutil.h"

#define NOW	((time_t)1700000000)	/* 2023-11-14T22:13:20Z */

struct fx {
	struct config		 cfg;
	struct model		*m;
	struct baseline		*bl;
	struct analysis		*an;
	struct report_ctx	 ctx;
};

static void
feed(struct model *m, const char *const *lines)
{
	size_t	 i;

	for (i = 0; lines[i] != NULL; i++)
		ingest_line(m, "test", lines[i], strlen(lines[i]), i + 1, false);
}

/* Thresholds 10% on every metric, critical above 20%, judged from 3 runs,
 * no significance test: findings follow from the means alone. */
static void
fx_config(struct config *cfg)
{
	int	 k;

	config_defaults(cfg);
	for (k = 0; k < METRIC_COUNT; k++) {
		cfg->has_threshold[k] = true;
		cfg->threshold[k] = 10.0;
	}
	cfg->critical_factor = 2.0;
	cfg->min_samples = 3;
	cfg->significance = 0.0;
	cfg->window = 50;
}

static void
fx_run(struct fx *fx, const char *const *base, const char *const *cur)
{
	struct model_limits	 lim;
	struct model		*bm;

	memset(fx, 0, sizeof *fx);
	fx_config(&fx->cfg);
	memset(&lim, 0, sizeof lim);
	lim.window = fx->cfg.window;
	if (base != NULL) {
		bm = model_create(&lim);
		feed(bm, base);
		fx->bl = baseline_from_model(bm, "base.jsonl");
		cr_assert_not_null(fx->bl);
		model_free(bm);
	}
	fx->m = model_create(&lim);
	feed(fx->m, cur);
	fx->an = analysis_run(fx->m, fx->bl, &fx->cfg);
	cr_assert_not_null(fx->an);
	fx->ctx.model = fx->m;
	fx->ctx.analysis = fx->an;
	fx->ctx.baseline = fx->bl;
	fx->ctx.config = &fx->cfg;
	fx->ctx.now = NOW;
	fx->ctx.sources = "test";
}

static void
fx_free(struct fx *fx)
{
	analysis_free(fx->an);
	baseline_free(fx->bl);
	model_free(fx->m);
	config_free(&fx->cfg);
}

static char *
render(const struct report_ctx *ctx, enum report_format f)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(report_write(fp, f, ctx), 0);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(strlen(buf), len, "no NUL inside the report");
	return buf;
}

/* The JSON report as written and parsed back. */
static json_t *
render_json(const struct report_ctx *ctx)
{
	char		*text = render(ctx, REPORT_JSON);
	json_error_t	 err;
	json_t		*doc;

	doc = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	cr_assert_not_null(doc, "JSON does not parse: %s (line %d)", err.text,
	    err.line);
	free(text);
	return doc;
}

static json_t *
jget(json_t *o, const char *path)
{
	char	*copy = strdup(path), *p, *save = NULL;
	json_t	*v = o;

	for (p = strtok_r(copy, ".", &save); p != NULL;
	    p = strtok_r(NULL, ".", &save)) {
		cr_assert(json_is_object(v), "%s: not an object at %s", path, p);
		v = json_object_get(v, p);
		cr_assert_not_null(v, "missing key %s (in %s)", p, path);
	}
	free(copy);
	return v;
}

static double
jnum(json_t *o, const char *path)
{
	json_t	*v = jget(o, path);

	cr_assert(json_is_number(v), "%s is not a number", path);
	return json_number_value(v);
}

static void
expect_null(json_t *o, const char *path)
{
	cr_expect(json_is_null(jget(o, path)), "%s should be null", path);
}

static const char *
jstr(json_t *o, const char *path)
{
	json_t	*v = jget(o, path);

	cr_assert(json_is_string(v), "%s is not a string", path);
	return json_string_value(v);
}

static json_t *
find_exec(json_t *doc, const char *id)
{
	json_t	*arr = jget(doc, "executors"), *e;
	size_t	 i;

	json_array_foreach(arr, i, e) {
		if (strcmp(jstr(e, "executor_id"), id) == 0)
			return e;
	}
	cr_assert_fail("executor %s not in the report", id);
	return NULL;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t		 n = 0;
	const char	*p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

#define EPS 1e-9

/* ------------------------------------------------------------------ */

static const char *const simple[] = {
	"{\"executor_id\":\"A\",\"execution_time_ms\":10,"
	"\"memory_footprint_mb\":1,\"memory_peak_mb\":5,"
	"\"serialization_time_ms\":2,\"serialization_size_bytes\":100,"
	"\"success\":true,\"method_calls\":[{\"class_name\":\"Cls\","
	"\"method_name\":\"run\",\"execution_time_ms\":4,"
	"\"memory_delta_mb\":0.5,\"call_count\":2}]}",
	"{\"executor_id\":\"A\",\"execution_time_ms\":20,"
	"\"memory_footprint_mb\":2,\"memory_peak_mb\":6,"
	"\"serialization_time_ms\":2,\"serialization_size_bytes\":200,"
	"\"success\":false,\"error\":\"boom\",\"method_calls\":["
	"{\"class_name\":\"Cls\",\"method_name\":\"run\","
	"\"execution_time_ms\":6,\"memory_delta_mb\":1.5,\"call_count\":1,"
	"\"success\":false,\"error\":\"m-err\"}]}",
	"{\"executor_id\":\"A\",\"execution_time_ms\":30,"
	"\"memory_footprint_mb\":3,\"memory_peak_mb\":7,"
	"\"serialization_time_ms\":2,\"serialization_size_bytes\":300}",
	"{\"executor_id\":\"B\",\"execution_time_ms\":5}",
	"this is not json",
	NULL
};

Test(report_json, top_level_keys_in_order)
{
	static const char *const keys[] = { "timestamp", "total_executors",
	    "total_runs", "total_execution_time_ms", "total_memory_mb",
	    "invalid_records", "regressions", "improvements", "pending", "new",
	    "missing", "bottlenecks", "executor_rankings", "executors", "summary",
	    "config", "baseline", "sources", "unknown_fields",
	    "records_without_metrics", NULL };
	struct fx	 fx;
	json_t		*doc;
	void		*it;
	size_t		 i = 0;

	fx_run(&fx, NULL, simple);
	doc = render_json(&fx.ctx);
	for (it = json_object_iter(doc); it != NULL;
	    it = json_object_iter_next(doc, it), i++) {
		cr_assert_not_null(keys[i], "extra key %s",
		    json_object_iter_key(it));
		cr_expect_str_eq(json_object_iter_key(it), keys[i]);
	}
	cr_expect_null(keys[i], "missing key %s", keys[i]);
	json_decref(doc);
	fx_free(&fx);
}

Test(report_json, hand_computed_values)
{
	struct fx	 fx;
	json_t		*doc, *a, *b, *ms, *arr, *e;
	const struct executor *ex;

	fx_run(&fx, NULL, simple);
	doc = render_json(&fx.ctx);

	cr_expect_str_eq(jstr(doc, "timestamp"), "2023-11-14T22:13:20Z");
	cr_expect_eq(jnum(doc, "total_executors"), 2);
	cr_expect_eq(jnum(doc, "total_runs"), 4);
	cr_expect_float_eq(jnum(doc, "total_execution_time_ms"), 65, EPS);
	cr_expect_float_eq(jnum(doc, "total_memory_mb"), 6, EPS);
	cr_expect_str_eq(jstr(doc, "sources"), "test");
	cr_expect(json_is_null(jget(doc, "baseline")));

	/* invalid records: total, one key per reason, dropped */
	cr_expect_eq(jnum(doc, "invalid_records.total"), 1);
	cr_expect_eq(jnum(doc, "invalid_records.invalid_json"), 1);
	cr_expect_eq(jnum(doc, "invalid_records.dropped_records"), 0);
	{
		/* Issue 12 (Low): every reason counted is documented in
		 * README (torn_line was neither counted nor documented). */
		char	*path = tu_fmt("%s/README.md", tu_root());
		char	*readme = tu_read_file(path, NULL), *name;

		cr_assert_not_null(readme);
		for (int r = 0; r < REJECT_COUNT; r++) {
			cr_expect(json_is_integer(json_object_get(
			    jget(doc, "invalid_records"),
			    record_reject_name(r))), "reason %s",
			    record_reject_name(r));
			name = tu_fmt("`%s`", record_reject_name(r));
			cr_expect_not_null(strstr(readme, name),
			    "reason %s not in README", name);
			free(name);
		}
		free(readme);
		free(path);
	}

	/* no baseline: nothing judged */
	cr_expect_eq(json_array_size(jget(doc, "regressions")), 0);
	cr_expect_eq(json_array_size(jget(doc, "improvements")), 0);
	cr_expect_eq(json_array_size(jget(doc, "pending")), 0);
	cr_expect_eq(json_array_size(jget(doc, "new")), 0);

	/* executor A: 10, 20, 30 */
	a = find_exec(doc, "A");
	cr_expect_eq(jnum(a, "runs"), 3);
	cr_expect_eq(jnum(a, "failures"), 1);
	cr_expect_float_eq(jnum(a, "success_rate"), 2.0 / 3.0, EPS);
	cr_expect_str_eq(jstr(a, "last_error"), "boom");
	cr_expect_str_eq(jstr(a, "status"), exec_status_name(fx.an->status[0]));
	cr_expect_float_eq(jnum(a, "bottleneck_score"), fx.an->score[0], EPS);
	cr_expect_eq(jnum(a, "metrics.execution_time_ms.n"), 3);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.mean"), 20, EPS);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.variance"), 100,
	    EPS);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.stddev"), 10,
	    EPS);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.min"), 10, EPS);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.max"), 30, EPS);
	/* all-run quantiles come from the sketch: within its alpha */
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.p50"), 20,
	    20 * 0.006);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.p99"), 20,
	    20 * 0.006);
	cr_expect_eq(jnum(a, "metrics.execution_time_ms.recent.n"), 3);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.recent.mean"),
	    20, EPS);
	cr_expect_float_eq(jnum(a, "metrics.execution_time_ms.recent.p50"),
	    20, EPS);
	cr_expect(json_is_null(jget(a, "metrics.execution_time_ms.baseline")));
	cr_expect_float_eq(jnum(a, "metrics.memory_footprint_mb.mean"), 2, EPS);
	cr_expect_float_eq(jnum(a, "metrics.memory_peak_mb.max"), 7, EPS);
	cr_expect_float_eq(jnum(a, "metrics.serialization_size_bytes.mean"),
	    200, EPS);
	cr_expect_float_eq(jnum(a, "metrics.serialization_time_ms.variance"),
	    0, EPS);

	/* its one method, two entries */
	arr = jget(a, "methods");
	cr_assert_eq(json_array_size(arr), 1);
	ms = json_array_get(arr, 0);
	ex = model_find(fx.m, "A");
	cr_assert_not_null(ex);
	cr_expect_str_eq(jstr(ms, "name"), "Cls.run");
	cr_expect_eq(jnum(ms, "calls"), 3);
	cr_expect_eq(jnum(ms, "entries"), 2);
	cr_expect_eq(jnum(ms, "failures"), 1);
	cr_expect_float_eq(jnum(ms, "total_time_ms"), 10, EPS);
	cr_expect_float_eq(jnum(ms, "max_time_ms"), 6, EPS);
	cr_expect_float_eq(jnum(ms, "mean_time_ms"),
	    method_mean_time(&ex->methods[0]), EPS);
	cr_expect_float_eq(jnum(ms, "mean_memory_delta_mb"), 1.0, EPS);
	cr_expect_str_eq(jstr(ms, "last_error"), "m-err");

	/* B: one run, exec time only */
	b = find_exec(doc, "B");
	cr_expect(json_is_null(jget(b, "last_error")));
	cr_expect_eq(json_array_size(jget(b, "methods")), 0);

	/* summary */
	cr_expect_eq(jnum(doc, "summary.total_executors"), 2);
	cr_expect_eq(jnum(doc, "summary.total_runs"), 4);
	cr_expect_eq(jnum(doc, "summary.total_failures"), 1);
	cr_expect_float_eq(jnum(doc, "summary.success_rate"), 0.75, EPS);
	cr_expect_float_eq(jnum(doc, "summary.avg_execution_time_ms"), 16.25,
	    EPS);
	cr_expect_float_eq(jnum(doc, "summary.avg_memory_mb"), 2, EPS);
	cr_expect_eq(jnum(doc, "summary.regressions"), 0);
	cr_expect_eq(jnum(doc, "summary.critical"), 0);
	cr_expect_eq(jnum(doc, "summary.warnings"), 0);
	cr_expect_eq(jnum(doc, "summary.improvements"), 0);
	cr_expect_eq(jnum(doc, "summary.pending"), 0);
	cr_expect_eq(jnum(doc, "summary.new"), 0);
	cr_expect_eq(jnum(doc, "summary.invalid_records"), 1);

	/* config as used */
	cr_expect_float_eq(jnum(doc, "config.thresholds.execution_time_ms"),
	    10, EPS);
	cr_expect_float_eq(jnum(doc, "config.critical_factor"), 2, EPS);
	cr_expect_eq(jnum(doc, "config.min_samples"), 3);
	cr_expect_float_eq(jnum(doc, "config.significance"), 0, EPS);
	cr_expect_eq(jnum(doc, "config.window"), 50);

	/* bottlenecks: A first (slower, heavier) */
	arr = jget(doc, "bottlenecks");
	cr_assert_eq(json_array_size(arr), 2);
	e = json_array_get(arr, 0);
	cr_expect_str_eq(jstr(e, "executor_id"), "A");
	cr_expect_float_eq(jnum(e, "avg_execution_time_ms"), 20, EPS);
	cr_expect_float_eq(jnum(e, "avg_memory_mb"), 2, EPS);
	cr_expect_float_eq(jnum(e, "avg_serialization_time_ms"), 2, EPS);
	cr_expect_eq(jnum(e, "runs"), 3);
	cr_expect_eq(jnum(e, "failures"), 1);
	cr_expect_str_eq(jstr(e, "slowest_method"), "Cls.run");
	cr_expect_str_eq(jstr(e, "memory_intensive_method"), "Cls.run");
	cr_expect(json_is_string(jget(e, "recommendation")));
	e = json_array_get(arr, 1);
	cr_expect_str_eq(jstr(e, "executor_id"), "B");
	cr_expect(json_is_null(jget(e, "slowest_method")));
	cr_expect(json_is_null(jget(e, "avg_memory_mb")));

	/* rankings: the average used for ranking */
	arr = jget(doc, "executor_rankings.slowest");
	cr_assert_eq(json_array_size(arr), fx.an->nslowest);
	cr_assert_geq(json_array_size(arr), 1);
	e = json_array_get(arr, 0);
	cr_expect_str_eq(jstr(e, "executor_id"), "A");
	cr_expect_float_eq(jnum(e, "value"), 20, EPS);
	e = json_array_get(jget(doc, "executor_rankings.memory_intensive"), 0);
	cr_expect_float_eq(jnum(e, "value"), 2, EPS);
	e = json_array_get(jget(doc, "executor_rankings.serialization_heavy"),
	    0);
	cr_expect_float_eq(jnum(e, "value"), 2, EPS);

	json_decref(doc);
	fx_free(&fx);
}

Test(report_json, undefined_statistics_are_null)
{
	struct fx	 fx;
	json_t		*doc, *b, *built;
	char		*text;

	fx_run(&fx, NULL, simple);
	doc = render_json(&fx.ctx);
	b = find_exec(doc, "B");
	/* one run: variance undefined, key present and null */
	cr_expect_eq(jnum(b, "metrics.execution_time_ms.n"), 1);
	cr_expect_float_eq(jnum(b, "metrics.execution_time_ms.mean"), 5, EPS);
	expect_null(b, "metrics.execution_time_ms.variance");
	expect_null(b, "metrics.execution_time_ms.stddev");
	expect_null(b, "metrics.execution_time_ms.recent.variance");
	/* no value at all */
	cr_expect_eq(jnum(b, "metrics.memory_peak_mb.n"), 0);
	expect_null(b, "metrics.memory_peak_mb.mean");
	expect_null(b, "metrics.memory_peak_mb.min");
	expect_null(b, "metrics.memory_peak_mb.p95");
	expect_null(b, "metrics.memory_peak_mb.recent.mean");

	/* the built document is what was written */
	built = report_json_build(&fx.ctx);
	cr_assert_not_null(built);
	cr_expect(json_equal(built, doc));
	json_decref(built);

	text = render(&fx.ctx, REPORT_JSON);
	cr_expect_null(strstr(text, "NaN"));
	cr_expect_null(strstr(text, "nan"));
	cr_expect_null(strstr(text, "inf"));
	cr_expect_not_null(strstr(text, "\n  \"timestamp\""), "indent 2");
	free(text);

	json_decref(doc);
	fx_free(&fx);
}

Test(report_json, empty_model)
{
	static const char *const none[] = { NULL };
	struct fx	 fx;
	json_t		*doc;

	fx_run(&fx, NULL, none);
	doc = render_json(&fx.ctx);
	cr_expect_eq(jnum(doc, "total_runs"), 0);
	cr_expect_eq(json_array_size(jget(doc, "executors")), 0);
	expect_null(doc, "summary.success_rate");
	expect_null(doc, "summary.avg_execution_time_ms");
	json_decref(doc);
	free(render(&fx.ctx, REPORT_MARKDOWN));
	free(render(&fx.ctx, REPORT_HTML));
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */

#define RUN(id, t) "{\"executor_id\":\"" id "\",\"execution_time_ms\":" #t "}"

static const char *const base_lines[] = {
	RUN("R1", 10), RUN("R1", 10), RUN("R1", 10),
	RUN("R2", 10), RUN("R2", 10), RUN("R2", 10),
	RUN("I1", 100), RUN("I1", 100), RUN("I1", 100),
	RUN("P1", 10), RUN("P1", 10), RUN("P1", 10),
	NULL
};

static const char *const cur_lines[] = {
	RUN("R2", 11.5), RUN("R2", 11.5), RUN("R2", 11.5),	/* +15% warning */
	RUN("R1", 30), RUN("R1", 30), RUN("R1", 30),	/* +200% critical */
	RUN("I1", 50), RUN("I1", 50), RUN("I1", 50),	/* -50% */
	RUN("P1", 10),					/* 1 of 3 runs */
	RUN("N1", 7), RUN("N1", 7), RUN("N1", 7),	/* not in baseline */
	NULL
};

Test(report_json, findings_against_baseline)
{
	struct fx	 fx;
	json_t		*doc, *arr, *f, *e;

	fx_run(&fx, base_lines, cur_lines);
	doc = render_json(&fx.ctx);

	arr = jget(doc, "regressions");
	cr_assert_eq(json_array_size(arr), 2);
	f = json_array_get(arr, 0);		/* critical first */
	cr_expect_str_eq(jstr(f, "executor_id"), "R1");
	cr_expect_str_eq(jstr(f, "metric_name"), "execution_time_ms");
	cr_expect_str_eq(jstr(f, "severity"), "critical");
	cr_expect_float_eq(jnum(f, "baseline_value"), 10, EPS);
	cr_expect_float_eq(jnum(f, "current_value"), 30, EPS);
	cr_expect_float_eq(jnum(f, "delta_percent"), 200, 1e-6);
	expect_null(f, "p_value");		/* significance off */
	cr_expect_eq(jnum(f, "samples"), 3);
	cr_expect_float_eq(jnum(f, "threshold"), 10, EPS);
	cr_expect(strlen(jstr(f, "recommendation")) > 0);
	f = json_array_get(arr, 1);
	cr_expect_str_eq(jstr(f, "executor_id"), "R2");
	cr_expect_str_eq(jstr(f, "severity"), "warning");
	cr_expect_float_eq(jnum(f, "delta_percent"), 15, 1e-6);

	arr = jget(doc, "improvements");
	cr_assert_eq(json_array_size(arr), 1);
	f = json_array_get(arr, 0);
	cr_expect_str_eq(jstr(f, "executor_id"), "I1");
	cr_expect_float_eq(jnum(f, "delta_percent"), -50, 1e-6);
	cr_expect_null(json_object_get(f, "severity"));

	arr = jget(doc, "pending");
	cr_assert_eq(json_array_size(arr), 1);
	f = json_array_get(arr, 0);
	cr_expect_str_eq(jstr(f, "executor_id"), "P1");
	cr_expect_str_eq(jstr(f, "metric_name"), "execution_time_ms");
	cr_expect_eq(jnum(f, "samples"), 1);
	cr_expect_eq(jnum(f, "min_samples"), 3);

	arr = jget(doc, "new");
	cr_assert_eq(json_array_size(arr), 1);
	f = json_array_get(arr, 0);
	cr_expect_str_eq(jstr(f, "executor_id"), "N1");
	cr_expect_float_eq(jnum(f, "current_value"), 7, EPS);

	cr_expect_eq(jnum(doc, "summary.regressions"), 2);
	cr_expect_eq(jnum(doc, "summary.critical"), 1);
	cr_expect_eq(jnum(doc, "summary.warnings"), 1);
	cr_expect_eq(jnum(doc, "summary.improvements"), 1);
	cr_expect_eq(jnum(doc, "summary.pending"), 1);
	cr_expect_eq(jnum(doc, "summary.new"), 1);

	expect_null(doc, "baseline.path");
	cr_expect_str_eq(jstr(doc, "baseline.source"), "base.jsonl");
	cr_expect(json_is_string(jget(doc, "baseline.created")));

	e = find_exec(doc, "R1");
	cr_expect_str_eq(jstr(e, "status"), exec_status_name(STATUS_CRIT));
	cr_expect_eq(jnum(e, "metrics.execution_time_ms.baseline.n"), 3);
	cr_expect_float_eq(jnum(e, "metrics.execution_time_ms.baseline.mean"),
	    10, EPS);
	expect_null(e, "metrics.memory_peak_mb.baseline");
	e = find_exec(doc, "R2");
	cr_expect_str_eq(jstr(e, "status"), exec_status_name(STATUS_WARN));
	e = find_exec(doc, "N1");
	cr_expect_str_eq(jstr(e, "status"), exec_status_name(STATUS_NEW));
	expect_null(e, "metrics.execution_time_ms.baseline");

	json_decref(doc);
	fx_free(&fx);
}

/* The line holding both strings, or NULL. */
static const char *
line_with(const char *text, const char *a, const char *b)
{
	const char	*p = text, *nl;
	char		*line;
	bool		 hit;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		line = strndup(p, (size_t)(nl - p));
		hit = strstr(line, a) != NULL && strstr(line, b) != NULL;
		free(line);
		if (hit)
			return p;
		p = *nl != '\0' ? nl + 1 : nl;
	}
	return NULL;
}

Test(report_markdown, findings_sections)
{
	struct fx	 fx;
	char		*md;
	const char	*crit, *warn, *sec;

	fx_run(&fx, base_lines, cur_lines);
	md = render(&fx.ctx, REPORT_MARKDOWN);
	cr_expect_eq(strncmp(md, "# exectop performance report\n", 29), 0);
	cr_expect_not_null(strstr(md, "2023-11-14T22:13:20Z"));
	sec = strstr(md, "## Regressions (2)");
	cr_assert_not_null(sec);
	crit = line_with(sec, "| R1 |", "CRITICAL");
	warn = line_with(sec, "| R2 |", "warning");
	cr_assert_not_null(crit);
	cr_assert_not_null(warn);
	cr_expect_lt(crit, warn, "critical first");
	cr_expect_not_null(line_with(sec, "| R1 |", "+200.0%"));
	cr_expect_not_null(strstr(md, "## Improvements (1)"));
	cr_expect_not_null(line_with(strstr(md, "## Improvements"), "| I1 |",
	    "-50.0%"));
	cr_expect_not_null(line_with(strstr(md, "## Pending (1)"), "| P1 |",
	    "execution\\_time\\_ms"));
	cr_expect_not_null(line_with(strstr(md, "## New (1)"), "| N1 |", "7.00"));
	cr_expect_not_null(strstr(md, "## Bottlenecks"));
	cr_expect_not_null(strstr(md, "## Rankings"));
	cr_expect_not_null(strstr(md, "### Slowest"));
	cr_expect_not_null(line_with(strstr(md, "## Executors (5)"), "| R1 |",
	    exec_status_name(STATUS_CRIT)));
	free(md);
	fx_free(&fx);
}

Test(report_html, findings_sections)
{
	struct fx	 fx;
	char		*html;

	fx_run(&fx, base_lines, cur_lines);
	html = render(&fx.ctx, REPORT_HTML);
	cr_expect_eq(strncmp(html, "<!DOCTYPE html>", 15), 0);
	cr_expect_not_null(strstr(html, "</html>\n"));
	cr_expect_not_null(strstr(html, "Content-Security-Policy"));
	cr_expect_not_null(strstr(html, "default-src 'none'"));
	cr_expect_eq(count(html, "<tr class=\"critical\">"), 1);
	cr_expect_eq(count(html, "<tr class=\"warning\">"), 1);
	cr_expect_eq(count(html, "<tr class=\"improvement\">"), 1);
	cr_expect_eq(count(html, "<tr class=\"pending\">"), 1);
	cr_expect_eq(count(html, "<tr class=\"new\">"), 1);
	cr_expect_lt(strstr(html, "<tr class=\"critical\">"),
	    strstr(html, "<tr class=\"warning\">"));
	cr_expect_not_null(strstr(html, "data-v=\"200"));
	cr_expect_eq(count(html, "<table"), count(html,
	    "<table class=\"sortable\">"));
	cr_expect_eq(count(html, "<details"), 5);	/* one per executor */
	/* self-contained */
	cr_expect_null(strstr(html, "http://"));
	cr_expect_null(strstr(html, "https://"));
	cr_expect_null(strstr(html, "<link"));
	cr_expect_null(strstr(html, " src="));
	cr_expect_null(strstr(html, "@import"));
	free(html);
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */

/* Hostile strings, as the JSON escapes in the stream and as raw bytes. */
#define EVIL_ID_JSON	"<script>alert(1)</script>"
#define EVIL_ID2_JSON	"pipe|id\\nnext\\u001b]8;;x\\u0007\\u202e\\r"
#define EVIL_ID2	"pipe|id\nnext\x1b]8;;x\x07\xe2\x80\xae\r"
#define EVIL_ERR_JSON	"</td></tr><script>alert(2)</script>\\r\\n| fake | row |"
#define EVIL_ERR	"</td></tr><script>alert(2)</script>\r\n| fake | row |"
#define EVIL_CLASS	"<img src=x onerror=alert(3)>"
#define EVIL_METHOD	"m|d`*\\u009b31m\\u2028"

static const char *const hostile[] = {
	"{\"executor_id\":\"" EVIL_ID_JSON "\",\"execution_time_ms\":3,"
	"\"success\":false,\"error\":\"" EVIL_ERR_JSON "\","
	"\"method_calls\":[{\"class_name\":\"" EVIL_CLASS "\","
	"\"method_name\":\"" EVIL_METHOD "\",\"execution_time_ms\":1,"
	"\"success\":false,\"error\":\"" EVIL_ERR_JSON "\"}]}",
	"{\"executor_id\":\"" EVIL_ID2_JSON "\",\"execution_time_ms\":4,"
	"\"success\":false,\"error\":\"\\u009b2J \\u2029 \\u202e\"}",
	"{\"executor_id\":\"ok\",\"execution_time_ms\":2}",
	NULL
};

Test(report_json, hostile_strings_round_trip)
{
	struct fx	 fx;
	json_t		*doc, *e, *ms;

	fx_run(&fx, NULL, hostile);
	doc = render_json(&fx.ctx);
	e = find_exec(doc, "<script>alert(1)</script>");
	cr_expect_str_eq(jstr(e, "last_error"), EVIL_ERR);
	ms = json_array_get(jget(e, "methods"), 0);
	cr_assert_not_null(ms);
	cr_expect_str_eq(jstr(ms, "name"),
	    EVIL_CLASS ".m|d`*\xc2\x9b" "31m\xe2\x80\xa8");
	e = find_exec(doc, EVIL_ID2);
	cr_expect_str_eq(jstr(e, "executor_id"), EVIL_ID2);
	json_decref(doc);
	fx_free(&fx);
}

static void
assert_no_raw_controls(const char *text, const char *what)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)text; *p != '\0'; p++)
		cr_assert(*p >= 0x20 || *p == '\n', "%s: raw byte 0x%02x at %zu",
		    what, *p, (size_t)(p - (const unsigned char *)text));
	cr_expect_null(strstr(text, "\xc2\x9b"), "%s: raw C1", what);
	cr_expect_null(strstr(text, "\xe2\x80\xae"), "%s: raw U+202E", what);
	cr_expect_null(strstr(text, "\xe2\x80\xa8"), "%s: raw U+2028", what);
	cr_expect_null(strstr(text, "\xe2\x80\xa9"), "%s: raw U+2029", what);
}

Test(report_html, hostile_strings_escaped)
{
	struct fx	 fx;
	char		*html;

	fx_run(&fx, NULL, hostile);
	html = render(&fx.ctx, REPORT_HTML);
	cr_expect_null(strstr(html, "alert(1)</script>"));
	cr_expect_null(strstr(html, "<script>alert"));
	cr_expect_null(strstr(html, "<img"));
	cr_expect_null(strstr(html, "</td></tr><script"));
	cr_expect_eq(count(html, "<script"), 1, "only our own script");
	cr_expect_eq(count(html, "</script"), 1);
	cr_expect_not_null(strstr(html,
	    "&lt;script&gt;alert(1)&lt;/script&gt;"));
	cr_expect_not_null(strstr(html, "&lt;img src=x onerror=alert(3)&gt;"));
	cr_expect_not_null(strstr(html, "pipe|id\\nnext\\x1b]8;;x\\x07\\u202e\\r"));
	assert_no_raw_controls(html, "html");
	free(html);
	fx_free(&fx);
}

/* Unescaped '|' on a Markdown line. */
static size_t
md_pipes(const char *line, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == '\\')
			i++;
		else if (line[i] == '|')
			n++;
	}
	return n;
}

Test(report_markdown, hostile_strings_one_row_each)
{
	struct fx	 fx;
	char		*md;
	const char	*sec, *p, *nl;
	size_t		 rows = 0, header_pipes = 0, pipes;

	fx_run(&fx, NULL, hostile);
	md = render(&fx.ctx, REPORT_MARKDOWN);
	assert_no_raw_controls(md, "markdown");
	/* no raw markup: every '<' carries its backslash */
	for (p = strchr(md, '<'); p != NULL; p = strchr(p + 1, '<'))
		cr_expect(p > md && p[-1] == '\\', "raw '<' at %zu",
		    (size_t)(p - md));
	cr_expect_not_null(strstr(md, "\\<script\\>alert(1)\\</script\\>"));

	/* the executors table: header, separator, one row per executor */
	sec = strstr(md, "## Executors (3)\n\n");
	cr_assert_not_null(sec);
	p = sec + strlen("## Executors (3)\n\n");
	for (; *p == '|'; p = nl + 1) {
		nl = strchr(p, '\n');
		cr_assert_not_null(nl);
		pipes = md_pipes(p, (size_t)(nl - p));
		if (header_pipes == 0)
			header_pipes = pipes;
		cr_expect_eq(pipes, header_pipes, "row %zu: %.*s", rows,
		    (int)(nl - p), p);
		rows++;
	}
	cr_expect_eq(rows, 2 + 3);
	cr_expect_eq(*p, '\n', "table ends with a blank line");

	/* the method tables stay one row per method too */
	sec = strstr(md, "## Methods");
	cr_assert_not_null(sec);
	cr_expect_not_null(strstr(sec,
	    "| \\<img src=x onerror=alert(3)\\>.m\\|d\\`\\*\\u009b31m\\u2028 |"));
	free(md);
	fx_free(&fx);
}

Test(report_json, invalid_utf8_source_name)
{
	struct fx	 fx;
	json_t		*doc;

	fx_run(&fx, NULL, simple);
	fx.ctx.sources = "run\xff.jsonl";
	doc = render_json(&fx.ctx);
	cr_expect_str_eq(jstr(doc, "sources"), "run\\xff.jsonl");
	json_decref(doc);
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */

Test(report, format_names)
{
	cr_expect_eq(report_format_from_name("json"), REPORT_JSON);
	cr_expect_eq(report_format_from_name("markdown"), REPORT_MARKDOWN);
	cr_expect_eq(report_format_from_name("md"), REPORT_MARKDOWN);
	cr_expect_eq(report_format_from_name("html"), REPORT_HTML);
	cr_expect_eq(report_format_from_name("pdf"), -1);
	cr_expect_eq(report_format_from_name(""), -1);
	cr_expect_eq(report_format_from_name(NULL), -1);
	cr_expect_str_eq(report_format_ext(REPORT_JSON), "json");
	cr_expect_str_eq(report_format_ext(REPORT_MARKDOWN), "md");
	cr_expect_str_eq(report_format_ext(REPORT_HTML), "html");
}

Test(report, write_error_is_reported)
{
	enum report_format	 f[] = { REPORT_JSON, REPORT_MARKDOWN,
				    REPORT_HTML };
	struct fx		 fx;
	FILE			*fp;
	size_t			 i;

	fx_run(&fx, NULL, simple);
	for (i = 0; i < 3; i++) {
		fp = fopen("/dev/full", "w");
		cr_assert_not_null(fp);
		errno = 0;
		cr_expect_eq(report_write(fp, f[i], &fx.ctx), -1, "format %d",
		    (int)f[i]);
		cr_expect_eq(errno, ENOSPC);
		fclose(fp);
	}
	fx_free(&fx);
}

/* Entries of a directory other than . and .. */
static size_t
dir_entries(const char *path)
{
	DIR		*d = opendir(path);
	struct dirent	*de;
	size_t		 n = 0;

	cr_assert_not_null(d, "opendir %s", path);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

Test(report_save, writes_atomically)
{
	struct fx	 fx;
	char		*dir, *sub, *path, *cause = NULL, *text;
	json_t		*doc;

	fx_run(&fx, NULL, simple);
	dir = tu_tmpdir();
	sub = tu_fmt("%s/reports/today", dir);
	path = tu_fmt("%s/r.json", sub);
	cr_assert_eq(report_save(path, REPORT_JSON, &fx.ctx, &cause), 0,
	    "%s", cause != NULL ? cause : "");
	cr_expect_eq(dir_entries(sub), 1, "no temporary file left");
	text = tu_read_file(path, NULL);
	cr_assert_not_null(text);
	doc = json_loads(text, 0, NULL);
	cr_expect_not_null(doc);
	json_decref(doc);
	free(text);

	/* overwrite with another format */
	cr_assert_eq(report_save(path, REPORT_HTML, &fx.ctx, &cause), 0);
	text = tu_read_file(path, NULL);
	cr_expect_eq(strncmp(text, "<!DOCTYPE html>", 15), 0);
	free(text);
	cr_expect_eq(dir_entries(sub), 1);

	tu_rmtree(dir);
	free(dir);
	free(sub);
	free(path);
	fx_free(&fx);
}

Test(report_save, parent_is_a_file)
{
	struct fx	 fx;
	char		*dir, *plain, *path, *cause = NULL, *text;

	fx_run(&fx, NULL, simple);
	dir = tu_tmpdir();
	plain = tu_fmt("%s/plain", dir);
	tu_write_file(plain, "keep\n", 5, 0);
	path = tu_fmt("%s/r.md", plain);
	cr_expect_eq(report_save(path, REPORT_MARKDOWN, &fx.ctx, &cause), -1);
	cr_expect_not_null(cause);
	free(cause);
	text = tu_read_file(plain, NULL);
	cr_expect_str_eq(text, "keep\n");
	free(text);
	cr_expect_eq(dir_entries(dir), 1);

	tu_rmtree(dir);
	free(dir);
	free(plain);
	free(path);
	fx_free(&fx);
}

/* A write that fails half way (file size limit) keeps the old report. */
Test(report_save, failed_write_keeps_previous)
{
	struct fx	 fx;
	char		*dir, *path, *cause = NULL, *text;
	struct rlimit	 old, small;
	int		 rc;

	fx_run(&fx, NULL, simple);
	dir = tu_tmpdir();
	path = tu_fmt("%s/r.html", dir);
	tu_write_file(path, "OLD\n", 4, 0);

	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 1024;		/* the HTML page is far larger */
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	rc = report_save(path, REPORT_HTML, &fx.ctx, &cause);
	setrlimit(RLIMIT_FSIZE, &old);

	cr_expect_eq(rc, -1);
	cr_expect_not_null(cause);
	free(cause);
	text = tu_read_file(path, NULL);
	cr_expect_str_eq(text, "OLD\n");
	free(text);
	cr_expect_eq(dir_entries(dir), 1, "no temporary file left");

	tu_rmtree(dir);
	free(dir);
	free(path);
	fx_free(&fx);
}

/* The sections the two writers once disagreed on (issue 11): both have
 * the Improvements recommendation, Success %, the totals, and a method
 * section for every executor, even one with no method calls. */
Test(report, markdown_and_html_agree_on_sections)
{
	static const char *const both[] = { "Recommendation", "Success %",
	    "Total execution time (ms)", "Total memory (MB)" };
	struct fx	 fx;
	char		*md, *html;
	const char	*imp;
	size_t		 i;

	fx_run(&fx, base_lines, cur_lines);
	md = render(&fx.ctx, REPORT_MARKDOWN);
	html = render(&fx.ctx, REPORT_HTML);
	for (i = 0; i < sizeof both / sizeof both[0]; i++) {
		cr_expect_not_null(strstr(md, both[i]), "markdown: %s", both[i]);
		cr_expect_not_null(strstr(html, both[i]), "html: %s", both[i]);
	}
	imp = strstr(md, "## Improvements (1)");
	cr_assert_not_null(imp);
	cr_expect_not_null(line_with(imp, "| Executor |", "| Recommendation |"));
	cr_expect_eq(count(md, "### "), 5 + 3, "a method heading per executor "
	    "(5) and the three rankings");
	cr_expect_eq(count(html, "<details"), 5);
	free(md);
	free(html);
	fx_free(&fx);
}

/* ---- snapshots: exclusive names, one consistent set, all or none ---- */

static const enum report_format snap_fmts[] = {
	REPORT_JSON, REPORT_MARKDOWN, REPORT_HTML
};
#define SNAP_N	(sizeof snap_fmts / sizeof *snap_fmts)

static const char *const only_x[] = {
	"{\"executor_id\":\"SNAPX\",\"execution_time_ms\":7}", NULL
};
static const char *const only_y[] = {
	"{\"executor_id\":\"SNAPY\",\"execution_time_ms\":9}", NULL
};

/* Every file of the set base.{json,md,html} names the executor id. */
static void
expect_set_of(const char *base, const char *id)
{
	char	*path, *text;
	size_t	 i;

	for (i = 0; i < SNAP_N; i++) {
		path = tu_fmt("%s.%s", base, report_format_ext(snap_fmts[i]));
		text = tu_read_file(path, NULL);
		cr_assert_not_null(text, "%s missing", path);
		cr_expect_not_null(strstr(text, id), "%s is not %s's", path,
		    id);
		free(text);
		free(path);
	}
}

Test(report_snapshot, same_second_twice_keeps_both_sets)
{
	struct fx	 fx, fy;
	char		*dir, *b1 = NULL, *b2 = NULL, *cause = NULL, *want;

	fx_run(&fx, NULL, only_x);
	fx_run(&fy, NULL, only_y);
	dir = tu_tmpdir();
	cr_assert_eq(report_snapshot(dir, "20261207-231500", snap_fmts,
	    SNAP_N, &fx.ctx, &b1, &cause), 0, "%s", cause);
	cr_assert_eq(report_snapshot(dir, "20261207-231500", snap_fmts,
	    SNAP_N, &fy.ctx, &b2, &cause), 0, "%s", cause);
	want = tu_fmt("%s/exectop-20261207-231500", dir);
	cr_expect_str_eq(b1, want);
	free(want);
	want = tu_fmt("%s/exectop-20261207-231500-1", dir);
	cr_expect_str_eq(b2, want);
	free(want);
	expect_set_of(b1, "SNAPX");
	expect_set_of(b2, "SNAPY");
	cr_expect_eq(dir_entries(dir), 2 * SNAP_N, "no temporary file left");
	free(b1);
	free(b2);
	tu_rmtree(dir);
	free(dir);
	fx_free(&fx);
	fx_free(&fy);
}

/* One format's name taken moves the whole set: never a mixed set. */
Test(report_snapshot, one_name_taken_moves_the_set)
{
	struct fx	 fx;
	char		*dir, *b = NULL, *cause = NULL, *path, *text;

	fx_run(&fx, NULL, only_x);
	dir = tu_tmpdir();
	path = tu_fmt("%s/exectop-S.html", dir);
	tu_write_file(path, "OTHER\n", 6, 0);
	cr_assert_eq(report_snapshot(dir, "S", snap_fmts, SNAP_N, &fx.ctx,
	    &b, &cause), 0, "%s", cause);
	expect_set_of(b, "SNAPX");
	text = tu_read_file(path, NULL);
	cr_expect_str_eq(text, "OTHER\n");
	free(text);
	free(path);
	path = tu_fmt("%s/exectop-S.json", dir);
	cr_expect_eq(access(path, F_OK), -1, "half a set under the taken name");
	free(path);
	cr_expect_eq(dir_entries(dir), 1 + SNAP_N);
	free(b);
	tu_rmtree(dir);
	free(dir);
	fx_free(&fx);
}

/* A planted symbolic link (dangling or not) is neither followed nor
 * replaced. */
Test(report_snapshot, planted_symlinks_are_not_written_through)
{
	struct fx	 fx;
	struct stat	 sb;
	char		*dir, *b = NULL, *cause = NULL, *victim, *lnk, *lnk2;
	char		*gone, *text;

	fx_run(&fx, NULL, only_x);
	dir = tu_tmpdir();
	victim = tu_fmt("%s/victim", dir);
	tu_write_file(victim, "SECRET\n", 7, 0);
	gone = tu_fmt("%s/created-by-exectop", dir);
	lnk = tu_fmt("%s/exectop-S.json", dir);
	lnk2 = tu_fmt("%s/exectop-S.md", dir);
	cr_assert_eq(symlink(victim, lnk), 0);
	cr_assert_eq(symlink(gone, lnk2), 0);
	cr_assert_eq(report_snapshot(dir, "S", snap_fmts, SNAP_N, &fx.ctx,
	    &b, &cause), 0, "%s", cause);
	expect_set_of(b, "SNAPX");
	text = tu_read_file(victim, NULL);
	cr_expect_str_eq(text, "SECRET\n");
	free(text);
	cr_expect_eq(access(gone, F_OK), -1, "dangling link written through");
	cr_expect_eq(lstat(lnk, &sb), 0);
	cr_expect(S_ISLNK(sb.st_mode));
	cr_expect_eq(lstat(lnk2, &sb), 0);
	cr_expect(S_ISLNK(sb.st_mode));
	free(b);
	free(victim);
	free(gone);
	free(lnk);
	free(lnk2);
	tu_rmtree(dir);
	free(dir);
	fx_free(&fx);
}

/* After every suffix is taken it fails clearly and leaves nothing. */
Test(report_snapshot, gives_up_after_the_tries)
{
	struct fx	 fx;
	char		*dir, *b = NULL, *cause = NULL, *path;
	int		 i;

	fx_run(&fx, NULL, only_x);
	dir = tu_tmpdir();
	for (i = 0; i < REPORT_SNAPSHOT_TRIES; i++) {
		path = i == 0 ? tu_fmt("%s/exectop-S.md", dir) :
		    tu_fmt("%s/exectop-S-%d.md", dir, i);
		tu_write_file(path, "x", 1, 0);
		free(path);
	}
	cr_expect_eq(report_snapshot(dir, "S", snap_fmts, SNAP_N, &fx.ctx,
	    &b, &cause), -1);
	cr_assert_not_null(cause);
	cr_expect_not_null(strstr(cause, "taken"), "%s", cause);
	free(cause);
	cr_expect_null(b);
	cr_expect_eq(dir_entries(dir), REPORT_SNAPSHOT_TRIES,
	    "nothing of the failed set left");
	tu_rmtree(dir);
	free(dir);
	fx_free(&fx);
}

/* A full disk while writing the HTML leaves no JSON or Markdown either. */
Test(report_snapshot, full_disk_leaves_no_partial_set)
{
	struct fx	 fx;
	struct rlimit	 old, small;
	char		*dir, *b = NULL, *cause = NULL;
	int		 rc;

	fx_run(&fx, NULL, only_x);
	dir = tu_tmpdir();
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 6144;		/* JSON (~4.8K) and Markdown fit, HTML (~8K) not */
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	rc = report_snapshot(dir, "S", snap_fmts, SNAP_N, &fx.ctx, &b, &cause);
	setrlimit(RLIMIT_FSIZE, &old);
	cr_expect_eq(rc, -1);
	cr_assert_not_null(cause);
	free(cause);
	cr_expect_eq(dir_entries(dir), 0, "a partial set is left");
	tu_rmtree(dir);
	free(dir);
	fx_free(&fx);
}
