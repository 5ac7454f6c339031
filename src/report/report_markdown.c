/*
 * report_markdown.c - the Markdown report: summary, regressions (critical
 * first), improvements, pending and new metrics, bottlenecks, rankings,
 * one row per executor and a method breakdown per executor.
 *
 * Every piece of stream text goes through escape_markdown(), which keeps
 * it on one line and out of the table syntax, so one executor is always
 * exactly one table row.  Write errors are left to the stream's error
 * flag, which report_write() checks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "escape.h"
#include "model.h"
#include "record.h"
#include "report.h"

#include "report_int.h"

/* " text |" */
static void
md_cell(FILE *fp, const char *s)
{
	fputc(' ', fp);
	escape_markdown(fp, s != NULL ? s : "-");
	fputs(" |", fp);
}

static void
md_num(FILE *fp, double v, int prec)
{
	char	 buf[64];

	fprintf(fp, " %s |", report_fmt(buf, sizeof buf, v, prec));
}

static void
md_p(FILE *fp, double p)
{
	char	 buf[64];

	md_cell(fp, report_fmt_p(buf, sizeof buf, p));
}

static void
md_int(FILE *fp, uint64_t v)
{
	fprintf(fp, " %llu |", (unsigned long long)v);
}

static void
md_pct(FILE *fp, double v)
{
	char	 buf[64];

	fprintf(fp, " %s |", report_fmt_pct(buf, sizeof buf, v));
}

/* Header row and separator; numeric columns (flag 'n') align right. */
static void
md_header(FILE *fp, const char *const *cols, const char *align)
{
	size_t	 i;

	fputc('|', fp);
	for (i = 0; cols[i] != NULL; i++)
		fprintf(fp, " %s |", cols[i]);
	fputs("\n|", fp);
	for (i = 0; cols[i] != NULL; i++)
		fputs(align[i] == 'n' ? " ---: |" : " --- |", fp);
	fputc('\n', fp);
}

static void
md_none(FILE *fp)
{
	fputs("_None._\n\n", fp);
}

static void
md_summary(FILE *fp, const struct report_ctx *ctx)
{
	static const char *const cols[] = { "Measure", "Value", NULL };
	const struct analysis	*an = ctx->analysis;
	const struct model	*model = ctx->model;
	char			 buf[64];

	fputs("## Summary\n\n", fp);
	md_header(fp, cols, "tn");
	fprintf(fp, "| Executors | %zu |\n", model->nexecs);
	fprintf(fp, "| Runs | %llu |\n", (unsigned long long)an->total_runs);
	fprintf(fp, "| Failures | %llu |\n",
	    (unsigned long long)an->total_failures);
	fprintf(fp, "| Success rate | %s%s |\n",
	    report_fmt(buf, sizeof buf, an->success_rate * 100.0, 2),
	    isfinite(an->success_rate) ? "%" : "");
	fprintf(fp, "| Avg execution time (ms) | %s |\n",
	    report_fmt(buf, sizeof buf, an->avg_execution_time_ms, 2));
	fprintf(fp, "| Avg memory (MB) | %s |\n",
	    report_fmt(buf, sizeof buf, an->avg_memory_mb, 2));
	fprintf(fp, "| Total execution time (ms) | %s |\n",
	    report_fmt(buf, sizeof buf, an->total_execution_time_ms, 2));
	fprintf(fp, "| Total memory (MB) | %s |\n",
	    report_fmt(buf, sizeof buf, an->total_memory_mb, 2));
	fprintf(fp, "| Regressions | %zu (%zu critical, %zu warning) |\n",
	    an->nregressions, an->ncritical,
	    an->nregressions - an->ncritical);
	fprintf(fp, "| Improvements | %zu |\n", an->nimprovements);
	fprintf(fp, "| Pending | %zu |\n", an->npending);
	fprintf(fp, "| New | %zu |\n", an->nfresh);
	fprintf(fp, "| Invalid records | %llu |\n",
	    (unsigned long long)model->invalid);
	if (model->dropped_records != 0)
		fprintf(fp, "| Dropped records | %llu |\n",
		    (unsigned long long)model->dropped_records);
	fputc('\n', fp);
}

static void
md_regressions(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Severity", "Executor", "Metric",
	    "Baseline", "Current", "Delta", "p-value", "Samples", "Threshold %",
	    "Recommendation", NULL };
	const struct finding	*f;
	size_t			 i;
	int			 prec;

	fprintf(fp, "## Regressions (%zu)\n\n", an->nregressions);
	if (an->nregressions == 0) {
		md_none(fp);
		return;
	}
	md_header(fp, cols, "tttnnnnnnt");
	for (i = 0; i < an->nregressions; i++) {
		f = &an->regressions[i];
		prec = report_metric_prec(f->metric);
		fprintf(fp, "| %s |", f->severity == SEV_CRITICAL ?
		    "**CRITICAL**" : "warning");
		md_cell(fp, f->ex->id);
		md_cell(fp, metric_name(f->metric));
		md_num(fp, f->baseline_value, prec);
		md_num(fp, f->current_value, prec);
		md_pct(fp, f->delta_percent);
		md_p(fp, f->p_value);
		md_int(fp, f->samples);
		md_num(fp, f->threshold, 1);
		md_cell(fp, f->recommendation);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void
md_improvements(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Executor", "Metric", "Baseline",
	    "Current", "Delta", "p-value", "Samples", "Threshold %",
	    "Recommendation", NULL };
	const struct finding	*f;
	size_t			 i;
	int			 prec;

	fprintf(fp, "## Improvements (%zu)\n\n", an->nimprovements);
	if (an->nimprovements == 0) {
		md_none(fp);
		return;
	}
	md_header(fp, cols, "ttnnnnnnt");
	for (i = 0; i < an->nimprovements; i++) {
		f = &an->improvements[i];
		prec = report_metric_prec(f->metric);
		fputc('|', fp);
		md_cell(fp, f->ex->id);
		md_cell(fp, metric_name(f->metric));
		md_num(fp, f->baseline_value, prec);
		md_num(fp, f->current_value, prec);
		md_pct(fp, f->delta_percent);
		md_p(fp, f->p_value);
		md_int(fp, f->samples);
		md_num(fp, f->threshold, 1);
		md_cell(fp, f->recommendation);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void
md_pending(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Executor", "Metric", "Samples",
	    "Min samples", NULL };
	const struct finding	*f;
	size_t			 i;

	fprintf(fp, "## Pending (%zu)\n\n", an->npending);
	if (an->npending == 0) {
		md_none(fp);
		return;
	}
	fputs("Too few runs in the window to judge yet.\n\n", fp);
	md_header(fp, cols, "ttnn");
	for (i = 0; i < an->npending; i++) {
		f = &an->pending[i];
		fputc('|', fp);
		md_cell(fp, f->ex->id);
		md_cell(fp, metric_name(f->metric));
		md_int(fp, f->samples);
		md_int(fp, f->min_samples);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void
md_fresh(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Executor", "Metric", "Current",
	    NULL };
	const struct finding	*f;
	size_t			 i;

	fprintf(fp, "## New (%zu)\n\n", an->nfresh);
	if (an->nfresh == 0) {
		md_none(fp);
		return;
	}
	fputs("Metrics with no baseline to compare against.\n\n", fp);
	md_header(fp, cols, "ttn");
	for (i = 0; i < an->nfresh; i++) {
		f = &an->fresh[i];
		fputc('|', fp);
		md_cell(fp, f->ex->id);
		md_cell(fp, metric_name(f->metric));
		md_num(fp, f->current_value, report_metric_prec(f->metric));
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

/* The baseline's executors with no run in this input. */
static void
md_missing(FILE *fp, const struct report_ctx *ctx)
{
	static const char *const cols[] = { "Executor", NULL };
	const char	**ids;
	size_t		 i, n;

	n = baseline_missing(ctx->baseline, ctx->model, &ids);
	fprintf(fp, "## Missing (%zu)\n\n", n);
	if (n == 0) {
		md_none(fp);
		return;
	}
	fputs("Executors in the baseline with no run in this input.\n\n", fp);
	md_header(fp, cols, "t");
	for (i = 0; i < n; i++) {
		fputc('|', fp);
		md_cell(fp, ids[i]);
		fputc('\n', fp);
	}
	fputc('\n', fp);
	free(ids);
}

static void
md_bottlenecks(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "#", "Executor", "Score",
	    "Avg time (ms)", "Avg memory (MB)", "Avg ser. time (ms)", "Runs",
	    "Failures", "Slowest method", "Memory-intensive method",
	    "Recommendation", NULL };
	const struct bottleneck	*b;
	size_t			 i;

	fprintf(fp, "## Bottlenecks\n\n");
	if (an->nbottlenecks == 0) {
		md_none(fp);
		return;
	}
	md_header(fp, cols, "ntnnnnnnttt");
	for (i = 0; i < an->nbottlenecks; i++) {
		b = &an->bottlenecks[i];
		fprintf(fp, "| %zu |", i + 1);
		md_cell(fp, b->ex->id);
		md_num(fp, b->score, 2);
		md_num(fp, b->avg_time_ms, 2);
		md_num(fp, b->avg_memory_mb, 2);
		md_num(fp, b->avg_ser_time_ms, 2);
		md_int(fp, b->ex->runs);
		md_int(fp, b->ex->failures);
		md_cell(fp, b->slowest != NULL ? b->slowest->name : NULL);
		md_cell(fp, b->memory_intensive != NULL ?
		    b->memory_intensive->name : NULL);
		md_cell(fp, b->recommendation);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void
md_rankings(FILE *fp, const struct report_ctx *ctx)
{
	const struct executor *const	*list;
	enum report_rank		 r;
	enum metric			 m;
	size_t				 i, nr;

	fputs("## Rankings\n\n", fp);
	for (r = 0; r < RANK_COUNT; r++) {
		m = report_rank_metric(r);
		list = report_rank_list(ctx, r, &nr);
		fprintf(fp, "### %s\n\n", report_rank_title(r));
		if (list == NULL || nr == 0) {
			md_none(fp);
			continue;
		}
		fprintf(fp, "| # | Executor | Avg %s (%s) |\n"
		    "| ---: | --- | ---: |\n", metric_label(m), metric_unit(m));
		for (i = 0; i < nr; i++) {
			fprintf(fp, "| %zu |", i + 1);
			md_cell(fp, list[i]->id);
			md_num(fp, report_rank_value(list[i], r),
			    report_metric_prec(m));
			fputc('\n', fp);
		}
		fputc('\n', fp);
	}
}

static void
md_executors(FILE *fp, const struct report_ctx *ctx)
{
	static const char *const cols[] = { "Executor", "Runs", "Failures",
	    "Success %", "Avg time (ms)", "p95 time (ms)", "Avg memory (MB)",
	    "Peak memory (MB)", "Avg ser. time (ms)", "Avg ser. size (bytes)",
	    "Score", "Status", "Last error", NULL };
	const struct model	*model = ctx->model;
	const struct analysis	*an = ctx->analysis;
	const struct executor	*ex;
	struct summary		 t, mem, peak, st, ss;
	size_t			 i;

	fprintf(fp, "## Executors (%zu)\n\n", model->nexecs);
	if (model->nexecs == 0) {
		md_none(fp);
		return;
	}
	md_header(fp, cols, "tnnnnnnnnnntt");
	for (i = 0; i < model->nexecs; i++) {
		ex = model->execs[i];
		executor_summary_all(ex, METRIC_EXEC_TIME, &t);
		executor_summary_all(ex, METRIC_MEM_FOOTPRINT, &mem);
		executor_summary_all(ex, METRIC_MEM_PEAK, &peak);
		executor_summary_all(ex, METRIC_SER_TIME, &st);
		executor_summary_all(ex, METRIC_SER_SIZE, &ss);
		fputc('|', fp);
		md_cell(fp, ex->id);
		md_int(fp, ex->runs);
		md_int(fp, ex->failures);
		md_num(fp, report_success_rate(ex) * 100.0, 1);
		md_num(fp, t.mean, 2);
		md_num(fp, t.p95, 2);
		md_num(fp, mem.mean, 2);
		md_num(fp, peak.max, 2);
		md_num(fp, st.mean, 2);
		md_num(fp, ss.mean, 0);
		if (i < an->nexecs) {
			md_num(fp, an->score[i], 2);
			md_cell(fp, exec_status_name(an->status[i]));
		} else {
			md_cell(fp, NULL);
			md_cell(fp, NULL);
		}
		md_cell(fp, ex->last_error);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void
md_methods(FILE *fp, const struct report_ctx *ctx)
{
	static const char *const cols[] = { "Method", "Calls", "Entries",
	    "Failures", "Total time (ms)", "Mean time (ms)", "Max time (ms)",
	    "Mean memory delta (MB)", "Last error", NULL };
	const struct model		*model = ctx->model;
	const struct executor		*ex;
	const struct method_stats	*ms;
	size_t				 i, j;

	fputs("## Methods\n\n", fp);
	if (model->nexecs == 0)
		md_none(fp);
	for (i = 0; i < model->nexecs; i++) {
		ex = model->execs[i];
		fputs("### ", fp);
		escape_markdown(fp, ex->id);
		fprintf(fp, " (%zu method%s)\n\n", ex->nmethods,
		    ex->nmethods == 1 ? "" : "s");
		if (ex->nmethods == 0) {
			md_none(fp);
			continue;
		}
		md_header(fp, cols, "tnnnnnnnt");
		for (j = 0; j < ex->nmethods; j++) {
			ms = &ex->methods[j];
			fputc('|', fp);
			md_cell(fp, ms->name);
			md_int(fp, ms->calls);
			md_int(fp, ms->entries);
			md_int(fp, ms->failures);
			md_num(fp, ms->time_n != 0 ? ms->total_time_ms : NAN, 2);
			md_num(fp, method_mean_time(ms), 3);
			md_num(fp, ms->time_n != 0 ? ms->max_time_ms : NAN, 2);
			md_num(fp, method_mean_mem(ms), 3);
			md_cell(fp, ms->last_error);
			fputc('\n', fp);
		}
		if (ex->dropped_methods != 0)
			fprintf(fp, "\n%llu method entries over the limit "
			    "were not tracked.\n",
			    (unsigned long long)ex->dropped_methods);
		fputc('\n', fp);
	}
}

/* Field names the reader did not know: a typo shows up here. */
static void
md_unknown(FILE *fp, const struct model *model)
{
	static const char *const cols[] = { "Field", "Records", NULL };
	unsigned	 i;

	fprintf(fp, "## Unknown fields (%u)\n\n", model->nunknown);
	if (model->no_metric > 0)
		fprintf(fp, "%llu record%s had no known metric at all.\n\n",
		    (unsigned long long)model->no_metric,
		    model->no_metric == 1 ? "" : "s");
	if (model->nunknown == 0) {
		md_none(fp);
		return;
	}
	md_header(fp, cols, "tn");
	for (i = 0; i < model->nunknown; i++) {
		fputc('|', fp);
		md_cell(fp, model->unknown[i].name);
		md_int(fp, model->unknown[i].count);
		fputc('\n', fp);
	}
	if (model->unknown_other > 0) {
		fputc('|', fp);
		md_cell(fp, "(other names)");
		md_int(fp, model->unknown_other);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void
md_invalid(FILE *fp, const struct model *model)
{
	static const char *const cols[] = { "Source", "Line", "Reason",
	    "Detail", NULL };
	const struct rejection	*rj;
	enum reject_reason	 r;
	unsigned		 i;

	fprintf(fp, "## Invalid records (%llu)\n\n",
	    (unsigned long long)model->invalid);
	if (model->invalid == 0) {
		md_none(fp);
		return;
	}
	fputs("| Reason | Count |\n| --- | ---: |\n", fp);
	for (r = 0; r < REJECT_COUNT; r++) {
		if (model->invalid_by[r] != 0)
			fprintf(fp, "| %s | %llu |\n", record_reject_name(r),
			    (unsigned long long)model->invalid_by[r]);
	}
	fputc('\n', fp);
	if ((rj = model_rejection(model, 0)) == NULL)
		return;
	fputs("Most recent:\n\n", fp);
	md_header(fp, cols, "tntt");
	for (i = 0; (rj = model_rejection(model, i)) != NULL; i++) {
		fputc('|', fp);
		md_cell(fp, rj->source);
		md_int(fp, rj->line);
		md_cell(fp, record_reject_name(rj->reason));
		md_cell(fp, rj->detail);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void
md_config(FILE *fp, const struct config *cfg)
{
	enum metric	 m;
	char		 buf[64];

	if (cfg == NULL)
		return;
	fputs("## Configuration\n\n| Setting | Value |\n| --- | ---: |\n", fp);
	for (m = 0; m < METRIC_COUNT; m++) {
		fputs("| threshold ", fp);
		escape_markdown(fp, metric_name(m));
		fprintf(fp, " | %s%s |\n", cfg->has_threshold[m] ?
		    report_fmt(buf, sizeof buf, cfg->threshold[m], 1) : "-",
		    cfg->has_threshold[m] ? "%" : "");
	}
	fprintf(fp, "| critical\\_factor | %s |\n",
	    report_fmt(buf, sizeof buf, cfg->critical_factor, 2));
	fprintf(fp, "| min\\_samples | %u |\n", cfg->min_samples);
	fprintf(fp, "| significance | %s |\n",
	    report_fmt(buf, sizeof buf, cfg->significance, 3));
	fprintf(fp, "| window | %zu |\n\n", cfg->window);
}

int
report_markdown_write(FILE *fp, const struct report_ctx *ctx)
{
	const struct baseline	*bl = ctx->baseline;
	char			 ts[32];

	fputs("# exectop performance report\n\n", fp);
	fprintf(fp, "- Generated: %s\n",
	    report_iso8601(ctx->now, ts, sizeof ts));
	fputs("- Sources: ", fp);
	escape_markdown(fp, ctx->sources != NULL ? ctx->sources : "-");
	fputs("\n- Baseline: ", fp);
	if (bl == NULL)
		fputs("none", fp);
	else {
		escape_markdown(fp, bl->path != NULL ? bl->path : "(in memory)");
		if (bl->source != NULL) {
			fputs(", from ", fp);
			escape_markdown(fp, bl->source);
		}
		if (bl->created != NULL) {
			fputs(", created ", fp);
			escape_markdown(fp, bl->created);
		}
	}
	fputs("\n\n", fp);

	md_summary(fp, ctx);
	md_regressions(fp, ctx->analysis);
	md_improvements(fp, ctx->analysis);
	md_pending(fp, ctx->analysis);
	md_fresh(fp, ctx->analysis);
	md_missing(fp, ctx);
	md_bottlenecks(fp, ctx->analysis);
	md_rankings(fp, ctx);
	md_executors(fp, ctx);
	md_methods(fp, ctx);
	md_invalid(fp, ctx->model);
	md_unknown(fp, ctx->model);
	md_config(fp, ctx->config);
	return ferror(fp) ? -1 : 0;
}
