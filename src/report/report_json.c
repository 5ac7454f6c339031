/*
 * report_json.c - the JSON report, shaped like the Python profiler's
 * PerformanceReport (timestamp, totals, regressions, improvements,
 * bottlenecks, executor rankings) plus exectop's own sections: pending
 * and new metrics, per-executor statistics and methods, the summary, the
 * config and baseline used, and invalid record counts.
 *
 * Every statistic that is NaN or infinite is written as an explicit
 * null, so keys never vanish (jansson's json_real() refuses non-finite
 * values).  Keys stay in insertion order.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "escape.h"
#include "model.h"
#include "record.h"
#include "report.h"

#include "report_int.h"

/* A number, or null when not finite. */
static json_t *
rj_num(double v)
{
	json_t	*j;

	if (!isfinite(v) || (j = json_real(v)) == NULL)
		return json_null();
	return j;
}

static json_t *
rj_int(uint64_t v)
{
	json_t	*j;

	if (v > (uint64_t)LLONG_MAX)
		return rj_num((double)v);
	if ((j = json_integer((json_int_t)v)) == NULL)
		return json_null();
	return j;
}

/*
 * A string, or null for NULL.  Stream strings were parsed by jansson and
 * are valid UTF-8; anything else that is not (a source path, say) is
 * written with its bad bytes shown as "\xNN" rather than dropped.
 */
static json_t *
rj_str(const char *s)
{
	json_t	*j;
	char	*safe;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	safe = escape_terminal(s);
	j = json_string(safe);
	free(safe);
	return j != NULL ? j : json_null();
}

static void
rj_set(json_t *obj, const char *key, json_t *value)
{
	if (value == NULL)
		value = json_null();
	json_object_set_new(obj, key, value);
}

static json_t *
rj_summary(const struct summary *s)
{
	json_t	*o = json_object();

	rj_set(o, "n", rj_int(s->n));
	rj_set(o, "mean", rj_num(s->mean));
	rj_set(o, "stddev", rj_num(s->stddev));
	rj_set(o, "variance", rj_num(s->variance));
	rj_set(o, "min", rj_num(s->min));
	rj_set(o, "max", rj_num(s->max));
	rj_set(o, "p50", rj_num(s->p50));
	rj_set(o, "p95", rj_num(s->p95));
	rj_set(o, "p99", rj_num(s->p99));
	return o;
}

static json_t *
rj_baseline_metric(const struct baseline_metric *bm)
{
	json_t	*o;

	if (bm == NULL || !bm->present || bm->n == 0)
		return json_null();
	o = json_object();
	rj_set(o, "n", rj_int(bm->n));
	rj_set(o, "mean", rj_num(bm->mean));
	rj_set(o, "variance", rj_num(bm->variance));
	rj_set(o, "min", rj_num(bm->min));
	rj_set(o, "max", rj_num(bm->max));
	rj_set(o, "p50", rj_num(bm->p50));
	rj_set(o, "p95", rj_num(bm->p95));
	return o;
}

static json_t *
rj_finding(const struct finding *f)
{
	json_t	*o = json_object();

	rj_set(o, "executor_id", rj_str(f->ex->id));
	rj_set(o, "metric_name", rj_str(metric_name(f->metric)));
	switch (f->kind) {
	case FINDING_REGRESSION:
	case FINDING_IMPROVEMENT:
		rj_set(o, "baseline_value", rj_num(f->baseline_value));
		rj_set(o, "current_value", rj_num(f->current_value));
		rj_set(o, "delta_percent", rj_num(f->delta_percent));
		if (f->kind == FINDING_REGRESSION)
			rj_set(o, "severity", rj_str(severity_name(f->severity)));
		rj_set(o, "p_value", rj_num(f->p_value));
		if (f->detected) {
			rj_set(o, "change_run", rj_int(f->change_run));
			rj_set(o, "change_timestamp", rj_num(f->change_ts));
			rj_set(o, "runs_since_change",
			    rj_int(f->since_runs));
			rj_set(o, "shift_percent", rj_num(f->shift_percent));
			rj_set(o, "shift_low_percent", rj_num(f->shift_lo));
			rj_set(o, "shift_high_percent", rj_num(f->shift_hi));
		}
		rj_set(o, "samples", rj_int(f->samples));
		rj_set(o, "threshold", rj_num(f->threshold));
		rj_set(o, "recommendation", rj_str(f->recommendation));
		break;
	case FINDING_PENDING:
		rj_set(o, "samples", rj_int(f->samples));
		rj_set(o, "min_samples", rj_int(f->min_samples));
		break;
	case FINDING_NEW:
		rj_set(o, "current_value", rj_num(f->current_value));
		break;
	}
	return o;
}

static json_t *
rj_findings(const struct finding *f, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, rj_finding(&f[i]));
	return a;
}

static json_t *
rj_bottlenecks(const struct analysis *an)
{
	json_t			*a = json_array(), *o;
	const struct bottleneck	*b;
	size_t			 i;

	for (i = 0; i < an->nbottlenecks; i++) {
		b = &an->bottlenecks[i];
		o = json_object();
		rj_set(o, "executor_id", rj_str(b->ex->id));
		rj_set(o, "bottleneck_score", rj_num(b->score));
		rj_set(o, "avg_execution_time_ms", rj_num(b->avg_time_ms));
		rj_set(o, "avg_memory_mb", rj_num(b->avg_memory_mb));
		rj_set(o, "avg_serialization_time_ms",
		    rj_num(b->avg_ser_time_ms));
		rj_set(o, "runs", rj_int(b->ex->runs));
		rj_set(o, "failures", rj_int(b->ex->failures));
		rj_set(o, "slowest_method",
		    rj_str(b->slowest != NULL ? b->slowest->name : NULL));
		rj_set(o, "memory_intensive_method",
		    rj_str(b->memory_intensive != NULL ?
		    b->memory_intensive->name : NULL));
		rj_set(o, "recommendation", rj_str(b->recommendation));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
rj_rankings(const struct report_ctx *ctx)
{
	json_t				*o = json_object(), *a, *e;
	const struct executor *const	*list;
	enum report_rank		 r;
	size_t				 i, nr;

	for (r = 0; r < RANK_COUNT; r++) {
		a = json_array();
		list = report_rank_list(ctx, r, &nr);
		for (i = 0; list != NULL && i < nr; i++) {
			e = json_object();
			rj_set(e, "executor_id", rj_str(list[i]->id));
			rj_set(e, "value",
			    rj_num(report_rank_value(list[i], r)));
			json_array_append_new(a, e);
		}
		rj_set(o, report_rank_name(r), a);
	}
	return o;
}

static json_t *
rj_methods(const struct executor *ex)
{
	json_t				*a = json_array(), *o;
	const struct method_stats	*ms;
	size_t				 i;

	for (i = 0; i < ex->nmethods; i++) {
		ms = &ex->methods[i];
		o = json_object();
		rj_set(o, "name", rj_str(ms->name));
		rj_set(o, "calls", rj_int(ms->calls));
		rj_set(o, "entries", rj_int(ms->entries));
		rj_set(o, "failures", rj_int(ms->failures));
		if (ms->time_n != 0) {
			rj_set(o, "total_time_ms", rj_num(ms->total_time_ms));
			rj_set(o, "mean_time_ms", rj_num(method_mean_time(ms)));
			rj_set(o, "max_time_ms", rj_num(ms->max_time_ms));
		} else {
			rj_set(o, "total_time_ms", json_null());
			rj_set(o, "mean_time_ms", json_null());
			rj_set(o, "max_time_ms", json_null());
		}
		rj_set(o, "mean_memory_delta_mb", rj_num(method_mean_mem(ms)));
		rj_set(o, "last_error", rj_str(ms->last_error));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
rj_executor(const struct report_ctx *ctx, size_t idx)
{
	const struct model		*model = ctx->model;
	const struct analysis		*an = ctx->analysis;
	const struct executor		*ex = model->execs[idx];
	const struct baseline_entry	*be = NULL;
	struct summary			 s;
	json_t				*o, *metrics, *mo;
	enum metric			 m;

	if (ctx->baseline != NULL)
		be = baseline_find(ctx->baseline, ex->id);

	o = json_object();
	rj_set(o, "executor_id", rj_str(ex->id));
	rj_set(o, "runs", rj_int(ex->runs));
	rj_set(o, "failures", rj_int(ex->failures));
	rj_set(o, "success_rate", rj_num(report_success_rate(ex)));
	rj_set(o, "last_error", rj_str(ex->last_error));
	if (idx < an->nexecs) {
		rj_set(o, "status", rj_str(exec_status_name(an->status[idx])));
		rj_set(o, "bottleneck_score", rj_num(an->score[idx]));
	} else {
		rj_set(o, "status", json_null());
		rj_set(o, "bottleneck_score", json_null());
	}

	metrics = json_object();
	for (m = 0; m < METRIC_COUNT; m++) {
		executor_summary_all(ex, m, &s);
		mo = rj_summary(&s);
		executor_summary_recent(ex, model, m, &s);
		rj_set(mo, "recent", rj_summary(&s));
		rj_set(mo, "baseline",
		    rj_baseline_metric(be != NULL ? &be->m[m] : NULL));
		rj_set(metrics, metric_name(m), mo);
	}
	rj_set(o, "metrics", metrics);
	rj_set(o, "methods", rj_methods(ex));
	rj_set(o, "dropped_methods", rj_int(ex->dropped_methods));
	return o;
}

/* {"exec_time_ms": 120, ...}, most frequent first; "(other names)" counts
 * the sightings of names past the model's table. */
static json_t *
rj_unknown(const struct model *model)
{
	json_t		*o = json_object();
	unsigned	 i;

	for (i = 0; i < model->nunknown; i++)
		rj_set(o, model->unknown[i].name,
		    rj_int(model->unknown[i].count));
	if (model->unknown_other > 0)
		rj_set(o, "(other names)", rj_int(model->unknown_other));
	return o;
}

static json_t *
rj_invalid(const struct model *model)
{
	json_t			*o = json_object();
	enum reject_reason	 r;

	rj_set(o, "total", rj_int(model->invalid));
	for (r = 0; r < REJECT_COUNT; r++)
		rj_set(o, record_reject_name(r), rj_int(model->invalid_by[r]));
	rj_set(o, "dropped_records", rj_int(model->dropped_records));
	return o;
}

static json_t *
rj_summary_section(const struct report_ctx *ctx)
{
	const struct analysis	*an = ctx->analysis;
	json_t			*o = json_object();

	rj_set(o, "total_executors", rj_int(ctx->model->nexecs));
	rj_set(o, "total_runs", rj_int(an->total_runs));
	rj_set(o, "total_failures", rj_int(an->total_failures));
	rj_set(o, "success_rate", rj_num(an->success_rate));
	rj_set(o, "avg_execution_time_ms", rj_num(an->avg_execution_time_ms));
	rj_set(o, "avg_memory_mb", rj_num(an->avg_memory_mb));
	rj_set(o, "regressions", rj_int(an->nregressions));
	rj_set(o, "critical", rj_int(an->ncritical));
	rj_set(o, "warnings", rj_int(an->nregressions - an->ncritical));
	rj_set(o, "improvements", rj_int(an->nimprovements));
	rj_set(o, "pending", rj_int(an->npending));
	rj_set(o, "new", rj_int(an->nfresh));
	rj_set(o, "invalid_records", rj_int(ctx->model->invalid));
	return o;
}

static json_t *
rj_config(const struct config *cfg)
{
	json_t		*o, *t;
	enum metric	 m;

	if (cfg == NULL)
		return json_null();
	o = json_object();
	t = json_object();
	for (m = 0; m < METRIC_COUNT; m++) {
		rj_set(t, metric_name(m), cfg->has_threshold[m] ?
		    rj_num(cfg->threshold[m]) : json_null());
	}
	rj_set(o, "thresholds", t);
	rj_set(o, "critical_factor", rj_num(cfg->critical_factor));
	rj_set(o, "min_samples", rj_int(cfg->min_samples));
	rj_set(o, "significance", rj_num(cfg->significance));
	rj_set(o, "window", rj_int(cfg->window));
	return o;
}

static json_t *
rj_baseline(const struct baseline *bl)
{
	json_t	*o;

	if (bl == NULL)
		return json_null();
	o = json_object();
	rj_set(o, "path", rj_str(bl->path));
	rj_set(o, "source", rj_str(bl->source));
	rj_set(o, "created", rj_str(bl->created));
	return o;
}
/* The members before "executors", in report order. */
/* The baseline's executors with no run: an array of ids. */
static json_t *
rj_missing(const struct report_ctx *ctx)
{
	json_t		*a = json_array();
	const char	**ids;
	size_t		 i, n;

	n = baseline_missing(ctx->baseline, ctx->model, &ids);
	for (i = 0; i < n; i++)
		json_array_append_new(a, rj_str(ids[i]));
	free(ids);
	return a;
}

static json_t *
rj_head(const struct report_ctx *ctx)
{
	const struct model	*model = ctx->model;
	const struct analysis	*an = ctx->analysis;
	json_t			*doc;
	char			 ts[32];

	doc = json_object();
	rj_set(doc, "timestamp",
	    rj_str(report_iso8601(ctx->now, ts, sizeof ts)));
	rj_set(doc, "total_executors", rj_int(model->nexecs));
	rj_set(doc, "total_runs", rj_int(an->total_runs));
	rj_set(doc, "total_execution_time_ms",
	    rj_num(an->total_execution_time_ms));
	rj_set(doc, "total_memory_mb", rj_num(an->total_memory_mb));
	rj_set(doc, "invalid_records", rj_invalid(model));
	rj_set(doc, "regressions",
	    rj_findings(an->regressions, an->nregressions));
	rj_set(doc, "improvements",
	    rj_findings(an->improvements, an->nimprovements));
	rj_set(doc, "pending", rj_findings(an->pending, an->npending));
	rj_set(doc, "new", rj_findings(an->fresh, an->nfresh));
	rj_set(doc, "missing", rj_missing(ctx));
	rj_set(doc, "bottlenecks", rj_bottlenecks(an));
	rj_set(doc, "executor_rankings", rj_rankings(ctx));
	return doc;
}

/* The members after "executors". */
static json_t *
rj_tail(const struct report_ctx *ctx)
{
	json_t	*doc = json_object();

	rj_set(doc, "summary", rj_summary_section(ctx));
	rj_set(doc, "config", rj_config(ctx->config));
	rj_set(doc, "baseline", rj_baseline(ctx->baseline));
	rj_set(doc, "sources", rj_str(ctx->sources));
	rj_set(doc, "unknown_fields", rj_unknown(ctx->model));
	rj_set(doc, "records_without_metrics", rj_int(ctx->model->no_metric));
	if (ctx->input_error != NULL)
		rj_set(doc, "input_error", rj_str(ctx->input_error));
	return doc;
}

void *
report_json_build(const struct report_ctx *ctx)
{
	json_t	*doc = rj_head(ctx), *execs, *tail;
	size_t	 i;

	execs = json_array();
	for (i = 0; i < ctx->model->nexecs; i++)
		json_array_append_new(execs, rj_executor(ctx, i));
	rj_set(doc, "executors", execs);
	tail = rj_tail(ctx);
	json_object_update(doc, tail);	/* appends, keeping the order */
	json_decref(tail);
	return doc;
}

#define RJ_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(17))

/* Dumps v as json_dumpf would at the given nesting depth. */
static int
rj_dump_at(FILE *fp, json_t *v, int depth)
{
	static const char	 spaces[] = "                                ";
	char			*text = json_dumps(v, RJ_FLAGS | JSON_ENCODE_ANY);
	const char		*p, *nl;
	size_t			 n, pad = (size_t)depth * 2, k;
	int			 rc = 0;

	if (text == NULL)
		return -1;
	/* Line by line, each newline followed by the indent (a character
	 * at a time was a third of `report`'s main thread). */
	for (p = text; *p != '\0' && rc == 0; p += n) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
		if (fwrite(p, 1, n, fp) != n)
			rc = -1;
		for (k = 0; nl != NULL && rc == 0 && k < pad; k += sizeof spaces - 1) {
			size_t	m = pad - k < sizeof spaces - 1 ? pad - k :
			    sizeof spaces - 1;

			if (fwrite(spaces, 1, m, fp) != m)
				rc = -1;
		}
	}
	free(text);
	return rc;
}

/* Writes the members of obj at depth 1; *first tracks the commas. */
static int
rj_members(FILE *fp, json_t *obj, int *first)
{
	const char	*key;
	json_t		*v;

	json_object_foreach(obj, key, v) {
		if (fprintf(fp, "%s\n  \"%s\": ", *first ? "" : ",", key) < 0 ||
		    rj_dump_at(fp, v, 1) == -1)
			return -1;
		*first = 0;
	}
	return 0;
}

/*
 * Writes the report as json_dumpf(report_json_build(ctx)) would, but
 * builds one executor at a time: memory stays bounded by one executor's
 * JSON instead of growing with the number of executors.
 */
int
report_json_write(FILE *fp, const struct report_ctx *ctx)
{
	json_t	*part, *ex;
	size_t	 i;
	int	 first = 1, rc = 0;

	if (fputc('{', fp) == EOF)
		return -1;
	part = rj_head(ctx);
	rc = rj_members(fp, part, &first);
	json_decref(part);
	if (rc == 0 && fprintf(fp, ",\n  \"executors\": [") < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < ctx->model->nexecs; i++) {
		ex = rj_executor(ctx, i);
		if (fprintf(fp, "%s\n    ", i > 0 ? "," : "") < 0 ||
		    rj_dump_at(fp, ex, 2) == -1)
			rc = -1;
		json_decref(ex);
	}
	if (rc == 0 && fprintf(fp, "%s]", ctx->model->nexecs > 0 ? "\n  " : "") < 0)
		rc = -1;
	if (rc == 0) {
		part = rj_tail(ctx);
		rc = rj_members(fp, part, &first);
		json_decref(part);
	}
	if (rc == 0 && fputs("\n}\n", fp) == EOF)
		rc = -1;
	return rc;
}
