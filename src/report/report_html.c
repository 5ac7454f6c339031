/*
 * report_html.c - the HTML report: one self-contained page with inline
 * CSS and a few lines of inline JavaScript that sort any table by a
 * click on its header.
 *
 * Nothing loads from the network: a Content-Security-Policy forbids
 * every external resource.  No JSON is embedded; the numbers are in the
 * cells, each numeric cell carrying its raw value in data-v so sorting is
 * numeric.  Every piece of stream text goes through escape_html(), and
 * stream text never lands in an id or class attribute.  Write errors are
 * left to the stream's error flag, which report_write() checks.
 */
#include <math.h>
#include <stdbool.h>
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

static const char html_head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\">\n"
"<head>\n"
"<meta charset=\"utf-8\">\n"
"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
" style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";

static const char html_style[] =
"<style>\n"
"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
"Arial,sans-serif;margin:0;padding:1.5rem 2rem;background:#f7f8fa;"
"color:#1f2328;line-height:1.4}\n"
"h1{margin:0 0 .3rem;font-size:1.6rem}\n"
"h2{margin:2rem 0 .6rem;font-size:1.25rem;border-bottom:1px solid #d0d7de;"
"padding-bottom:.2rem}\n"
"h3{margin:1.2rem 0 .4rem;font-size:1.05rem}\n"
".meta{color:#57606a;margin:.1rem 0}\n"
".cards{display:flex;flex-wrap:wrap;gap:.8rem}\n"
".card{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
"padding:.6rem 1rem;min-width:9rem}\n"
".card .label{color:#57606a;font-size:.8rem;text-transform:uppercase;"
"letter-spacing:.03em}\n"
".card .value{font-size:1.4rem;font-weight:600}\n"
".card.critical{border-left:5px solid #cf222e}\n"
".card.warning{border-left:5px solid #bf8700}\n"
".card.improvement{border-left:5px solid #1a7f37}\n"
".card.new{border-left:5px solid #0969da}\n"
".card.pending{border-left:5px solid #8c959f}\n"
"table{border-collapse:collapse;background:#fff;margin:.4rem 0 1rem;"
"font-size:.9rem}\n"
"th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;"
"vertical-align:top}\n"
"td{overflow-wrap:anywhere;max-width:24rem}\n"
"th{background:#eef1f4;cursor:pointer;user-select:none}\n"
"th:hover{background:#e2e6ea}\n"
"th[aria-sort=ascending]::after{content:' \\25B2';font-size:.7em}\n"
"th[aria-sort=descending]::after{content:' \\25BC';font-size:.7em}\n"
"td.num{text-align:right;font-variant-numeric:tabular-nums;"
"white-space:nowrap}\n"
"tr.critical td{background:#ffebe9}\n"
"tr.warning td{background:#fff8c5}\n"
"tr.improvement td{background:#dafbe1}\n"
"tr.new td{background:#ddf4ff}\n"
"tr.pending td{background:#f6f8fa;color:#57606a}\n"
".badge{display:inline-block;white-space:nowrap;padding:0 .45rem;border-radius:1rem;"
"font-size:.8rem;font-weight:600;color:#fff;background:#57606a}\n"
".badge.crit,.badge.critical{background:#cf222e}\n"
".badge.warn,.badge.warning{background:#bf8700}\n"
".badge.improved{background:#1a7f37}\n"
".badge.new{background:#0969da}\n"
".badge.pending{background:#8c959f}\n"
".badge.ok{background:#57606a}\n"
".none{color:#57606a;font-style:italic}\n"
"details{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
"padding:.3rem .8rem;margin:.4rem 0}\n"
"summary{cursor:pointer;font-weight:600}\n"
"</style>\n"
"</head>\n";

/* Sorts a table by the clicked header; data-v holds the raw number, an
 * empty data-v (no value) always sorts last. */
static const char html_script[] =
"<script>\n"
"(function(){\n"
"function key(td){var v=td.getAttribute('data-v');if(v===null)"
"return td.textContent;if(v==='')return null;var n=parseFloat(v);"
"return isNaN(n)?null:n;}\n"
"function cmp(a,b){if(typeof a==='number'&&typeof b==='number')"
"return a-b;return String(a).localeCompare(String(b));}\n"
"document.querySelectorAll('table.sortable thead th').forEach("
"function(th){th.addEventListener('click',function(){\n"
"var tr=th.parentNode,i=Array.prototype.indexOf.call(tr.children,th),"
"body=tr.closest('table').tBodies[0],"
"dir=th.getAttribute('aria-sort')==='ascending'?-1:1;\n"
"Array.prototype.forEach.call(tr.children,function(h){"
"h.removeAttribute('aria-sort');});\n"
"th.setAttribute('aria-sort',dir===1?'ascending':'descending');\n"
"var rows=Array.prototype.slice.call(body.rows);\n"
"rows.sort(function(x,y){var a=key(x.cells[i]),b=key(y.cells[i]);"
"if(a===null)return b===null?0:1;if(b===null)return -1;"
"return dir*cmp(a,b);});\n"
"rows.forEach(function(r){body.appendChild(r);});});});\n"
"})();\n"
"</script>\n";

static void
h_text(FILE *fp, const char *s)
{
	escape_html(fp, s != NULL ? s : "-");
}

static void
h_td(FILE *fp, const char *s)
{
	fputs("<td>", fp);
	h_text(fp, s);
	fputs("</td>", fp);
}

static void
h_td_num(FILE *fp, double v, int prec)
{
	char	 buf[64];

	if (!isfinite(v))
		fputs("<td class=\"num\" data-v=\"\">-</td>", fp);
	else
		fprintf(fp, "<td class=\"num\" data-v=\"%.17g\">%s</td>", v,
		    report_fmt(buf, sizeof buf, v, prec));
}

static void
h_td_pct(FILE *fp, double v)
{
	char	 buf[64];

	if (!isfinite(v))
		fputs("<td class=\"num\" data-v=\"\">-</td>", fp);
	else
		fprintf(fp, "<td class=\"num\" data-v=\"%.17g\">%s</td>", v,
		    report_fmt_pct(buf, sizeof buf, v));
}

static void
h_td_p(FILE *fp, double p)
{
	char	 buf[64];

	if (!isfinite(p))
		fputs("<td class=\"num\" data-v=\"\">-</td>", fp);
	else {
		fprintf(fp, "<td class=\"num\" data-v=\"%.17g\">", p);
		h_text(fp, report_fmt_p(buf, sizeof buf, p));
		fputs("</td>", fp);
	}
}

static void
h_td_int(FILE *fp, uint64_t v)
{
	fprintf(fp, "<td class=\"num\" data-v=\"%llu\">%llu</td>",
	    (unsigned long long)v, (unsigned long long)v);
}

static void
h_table_open(FILE *fp, const char *const *cols)
{
	size_t	 i;

	fputs("<table class=\"sortable\">\n<thead><tr>", fp);
	for (i = 0; cols[i] != NULL; i++)
		fprintf(fp, "<th>%s</th>", cols[i]);
	fputs("</tr></thead>\n<tbody>\n", fp);
}

static void
h_table_close(FILE *fp)
{
	fputs("</tbody>\n</table>\n", fp);
}

static void
h_none(FILE *fp)
{
	fputs("<p class=\"none\">None.</p>\n", fp);
}

static const char *
h_status_class(enum exec_status st)
{
	switch (st) {
	case STATUS_OK:
		return "ok";
	case STATUS_PENDING:
		return "pending";
	case STATUS_NEW:
		return "new";
	case STATUS_IMPROVED:
		return "improved";
	case STATUS_WARN:
		return "warn";
	case STATUS_CRIT:
		return "crit";
	}
	return "ok";
}

static void
h_card(FILE *fp, const char *cls, const char *label, const char *value)
{
	fprintf(fp, "<div class=\"card%s%s\"><div class=\"label\">%s</div>"
	    "<div class=\"value\">%s</div></div>\n", cls != NULL ? " " : "",
	    cls != NULL ? cls : "", label, value);
}

static void
h_summary(FILE *fp, const struct report_ctx *ctx)
{
	const struct analysis	*an = ctx->analysis;
	const struct model	*model = ctx->model;
	char			 buf[64], num[64];

	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n"
	    "<div class=\"cards\">\n", fp);
	snprintf(buf, sizeof buf, "%zu", model->nexecs);
	h_card(fp, NULL, "Executors", buf);
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)an->total_runs);
	h_card(fp, NULL, "Runs", buf);
	snprintf(buf, sizeof buf, "%llu",
	    (unsigned long long)an->total_failures);
	h_card(fp, NULL, "Failures", buf);
	if (isfinite(an->success_rate))
		snprintf(buf, sizeof buf, "%.2f%%", an->success_rate * 100.0);
	else
		snprintf(buf, sizeof buf, "-");
	h_card(fp, NULL, "Success rate", buf);
	h_card(fp, NULL, "Avg execution time (ms)",
	    report_fmt(num, sizeof num, an->avg_execution_time_ms, 2));
	h_card(fp, NULL, "Avg memory (MB)",
	    report_fmt(num, sizeof num, an->avg_memory_mb, 2));
	h_card(fp, NULL, "Total execution time (ms)",
	    report_fmt(num, sizeof num, an->total_execution_time_ms, 2));
	h_card(fp, NULL, "Total memory (MB)",
	    report_fmt(num, sizeof num, an->total_memory_mb, 2));
	snprintf(buf, sizeof buf, "%zu", an->ncritical);
	h_card(fp, "critical", "Critical", buf);
	snprintf(buf, sizeof buf, "%zu", an->nregressions - an->ncritical);
	h_card(fp, "warning", "Warnings", buf);
	snprintf(buf, sizeof buf, "%zu", an->nimprovements);
	h_card(fp, "improvement", "Improvements", buf);
	snprintf(buf, sizeof buf, "%zu", an->nfresh);
	h_card(fp, "new", "New", buf);
	snprintf(buf, sizeof buf, "%zu", an->npending);
	h_card(fp, "pending", "Pending", buf);
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)model->invalid);
	h_card(fp, NULL, "Invalid records", buf);
	if (model->dropped_records != 0) {
		snprintf(buf, sizeof buf, "%llu",
		    (unsigned long long)model->dropped_records);
		h_card(fp, NULL, "Dropped records", buf);
	}
	fputs("</div>\n</section>\n", fp);
}

static void
h_regressions(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Severity", "Executor", "Metric",
	    "Baseline", "Current", "Delta", "p-value", "Samples", "Threshold %",
	    "Recommendation", NULL };
	const struct finding	*f;
	const char		*sev;
	size_t			 i;
	int			 prec;

	fprintf(fp, "<section id=\"regressions\">\n<h2>Regressions (%zu)</h2>\n",
	    an->nregressions);
	if (an->nregressions == 0)
		h_none(fp);
	else {
		h_table_open(fp, cols);
		for (i = 0; i < an->nregressions; i++) {
			f = &an->regressions[i];
			sev = f->severity == SEV_CRITICAL ? "critical" :
			    "warning";
			prec = report_metric_prec(f->metric);
			fprintf(fp, "<tr class=\"%s\"><td data-v=\"%d\">"
			    "<span class=\"badge %s\">%s</span></td>", sev,
			    f->severity == SEV_CRITICAL ? 2 : 1, sev, sev);
			h_td(fp, f->ex->id);
			h_td(fp, metric_name(f->metric));
			h_td_num(fp, f->baseline_value, prec);
			h_td_num(fp, f->current_value, prec);
			h_td_pct(fp, f->delta_percent);
			h_td_p(fp, f->p_value);
			h_td_int(fp, f->samples);
			h_td_num(fp, f->threshold, 1);
			h_td(fp, f->recommendation);
			fputs("</tr>\n", fp);
		}
		h_table_close(fp);
	}
	fputs("</section>\n", fp);
}

static void
h_improvements(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Executor", "Metric", "Baseline",
	    "Current", "Delta", "p-value", "Samples", "Threshold %",
	    "Recommendation", NULL };
	const struct finding	*f;
	size_t			 i;
	int			 prec;

	fprintf(fp, "<h3>Improvements (%zu)</h3>\n", an->nimprovements);
	if (an->nimprovements == 0) {
		h_none(fp);
		return;
	}
	h_table_open(fp, cols);
	for (i = 0; i < an->nimprovements; i++) {
		f = &an->improvements[i];
		prec = report_metric_prec(f->metric);
		fputs("<tr class=\"improvement\">", fp);
		h_td(fp, f->ex->id);
		h_td(fp, metric_name(f->metric));
		h_td_num(fp, f->baseline_value, prec);
		h_td_num(fp, f->current_value, prec);
		h_td_pct(fp, f->delta_percent);
		h_td_p(fp, f->p_value);
		h_td_int(fp, f->samples);
		h_td_num(fp, f->threshold, 1);
		h_td(fp, f->recommendation);
		fputs("</tr>\n", fp);
	}
	h_table_close(fp);
}

static void
h_pending(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Executor", "Metric", "Samples",
	    "Min samples", NULL };
	const struct finding	*f;
	size_t			 i;

	fprintf(fp, "<h3>Pending (%zu)</h3>\n", an->npending);
	if (an->npending == 0) {
		h_none(fp);
		return;
	}
	h_table_open(fp, cols);
	for (i = 0; i < an->npending; i++) {
		f = &an->pending[i];
		fputs("<tr class=\"pending\">", fp);
		h_td(fp, f->ex->id);
		h_td(fp, metric_name(f->metric));
		h_td_int(fp, f->samples);
		h_td_int(fp, f->min_samples);
		fputs("</tr>\n", fp);
	}
	h_table_close(fp);
}

static void
h_fresh(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "Executor", "Metric", "Current",
	    NULL };
	const struct finding	*f;
	size_t			 i;

	fprintf(fp, "<h3>New (%zu)</h3>\n", an->nfresh);
	if (an->nfresh == 0) {
		h_none(fp);
		return;
	}
	h_table_open(fp, cols);
	for (i = 0; i < an->nfresh; i++) {
		f = &an->fresh[i];
		fputs("<tr class=\"new\">", fp);
		h_td(fp, f->ex->id);
		h_td(fp, metric_name(f->metric));
		h_td_num(fp, f->current_value, report_metric_prec(f->metric));
		fputs("</tr>\n", fp);
	}
	h_table_close(fp);
}

/* The baseline's executors with no run in this input. */
static void
h_missing(FILE *fp, const struct report_ctx *ctx)
{
	static const char *const cols[] = { "Executor", NULL };
	const char	**ids;
	size_t		 i, n;

	n = baseline_missing(ctx->baseline, ctx->model, &ids);
	fprintf(fp, "<h3 id=\"missing\">Missing (%zu)</h3>\n", n);
	if (n == 0) {
		h_none(fp);
		return;
	}
	fputs("<p>Executors in the baseline with no run in this input.</p>\n",
	    fp);
	h_table_open(fp, cols);
	for (i = 0; i < n; i++) {
		fputs("<tr class=\"missing\">", fp);
		h_td(fp, ids[i]);
		fputs("</tr>\n", fp);
	}
	h_table_close(fp);
	free(ids);
}

static void
h_bottlenecks(FILE *fp, const struct analysis *an)
{
	static const char *const cols[] = { "#", "Executor", "Score",
	    "Avg time (ms)", "Avg memory (MB)", "Avg ser. time (ms)", "Runs",
	    "Failures", "Slowest method", "Memory-intensive method",
	    "Recommendation", NULL };
	const struct bottleneck	*b;
	size_t			 i;

	fputs("<section id=\"bottlenecks\">\n<h2>Bottlenecks</h2>\n", fp);
	if (an->nbottlenecks == 0)
		h_none(fp);
	else {
		h_table_open(fp, cols);
		for (i = 0; i < an->nbottlenecks; i++) {
			b = &an->bottlenecks[i];
			fputs("<tr>", fp);
			h_td_int(fp, i + 1);
			h_td(fp, b->ex->id);
			h_td_num(fp, b->score, 2);
			h_td_num(fp, b->avg_time_ms, 2);
			h_td_num(fp, b->avg_memory_mb, 2);
			h_td_num(fp, b->avg_ser_time_ms, 2);
			h_td_int(fp, b->ex->runs);
			h_td_int(fp, b->ex->failures);
			h_td(fp, b->slowest != NULL ? b->slowest->name : NULL);
			h_td(fp, b->memory_intensive != NULL ?
			    b->memory_intensive->name : NULL);
			h_td(fp, b->recommendation);
			fputs("</tr>\n", fp);
		}
		h_table_close(fp);
	}
	fputs("</section>\n", fp);
}

static void
h_rankings(FILE *fp, const struct report_ctx *ctx)
{
	const struct executor *const	*list;
	enum report_rank		 r;
	enum metric			 m;
	size_t				 i, nr;

	fputs("<section id=\"rankings\">\n<h2>Rankings</h2>\n", fp);
	for (r = 0; r < RANK_COUNT; r++) {
		m = report_rank_metric(r);
		list = report_rank_list(ctx, r, &nr);
		fprintf(fp, "<h3>%s</h3>\n", report_rank_title(r));
		if (list == NULL || nr == 0) {
			h_none(fp);
			continue;
		}
		fprintf(fp, "<table class=\"sortable\">\n<thead><tr><th>#</th>"
		    "<th>Executor</th><th>Avg %s (%s)</th></tr></thead>\n"
		    "<tbody>\n", metric_label(m), metric_unit(m));
		for (i = 0; i < nr; i++) {
			fputs("<tr>", fp);
			h_td_int(fp, i + 1);
			h_td(fp, list[i]->id);
			h_td_num(fp, report_rank_value(list[i], r),
			    report_metric_prec(m));
			fputs("</tr>\n", fp);
		}
		h_table_close(fp);
	}
	fputs("</section>\n", fp);
}

static void
h_executors(FILE *fp, const struct report_ctx *ctx)
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
	enum exec_status	 status;

	fprintf(fp, "<section id=\"executors\">\n<h2>Executors (%zu)</h2>\n",
	    model->nexecs);
	if (model->nexecs == 0) {
		h_none(fp);
		fputs("</section>\n", fp);
		return;
	}
	h_table_open(fp, cols);
	for (i = 0; i < model->nexecs; i++) {
		ex = model->execs[i];
		executor_summary_all(ex, METRIC_EXEC_TIME, &t);
		executor_summary_all(ex, METRIC_MEM_FOOTPRINT, &mem);
		executor_summary_all(ex, METRIC_MEM_PEAK, &peak);
		executor_summary_all(ex, METRIC_SER_TIME, &st);
		executor_summary_all(ex, METRIC_SER_SIZE, &ss);
		fputs("<tr>", fp);
		fprintf(fp, "<td><a href=\"#ex-%zu\">", i);
		h_text(fp, ex->id);
		fputs("</a></td>", fp);
		h_td_int(fp, ex->runs);
		h_td_int(fp, ex->failures);
		h_td_num(fp, report_success_rate(ex) * 100.0, 1);
		h_td_num(fp, t.mean, 2);
		h_td_num(fp, t.p95, 2);
		h_td_num(fp, mem.mean, 2);
		h_td_num(fp, peak.max, 2);
		h_td_num(fp, st.mean, 2);
		h_td_num(fp, ss.mean, 0);
		if (i < an->nexecs) {
			status = an->status[i];
			h_td_num(fp, an->score[i], 2);
			fprintf(fp, "<td data-v=\"%d\"><span class=\"badge %s\">"
			    "%s</span></td>", (int)status,
			    h_status_class(status), exec_status_name(status));
		} else {
			h_td_num(fp, NAN, 2);
			h_td(fp, NULL);
		}
		h_td(fp, ex->last_error);
		fputs("</tr>\n", fp);
	}
	h_table_close(fp);
	fputs("</section>\n", fp);
}

static void
h_methods(FILE *fp, const struct report_ctx *ctx)
{
	static const char *const cols[] = { "Method", "Calls", "Entries",
	    "Failures", "Total time (ms)", "Mean time (ms)", "Max time (ms)",
	    "Mean memory delta (MB)", "Last error", NULL };
	const struct model		*model = ctx->model;
	const struct executor		*ex;
	const struct method_stats	*ms;
	size_t				 i, j;

	fputs("<section id=\"methods\">\n<h2>Methods</h2>\n", fp);
	if (model->nexecs == 0)
		h_none(fp);
	for (i = 0; i < model->nexecs; i++) {
		ex = model->execs[i];
		fprintf(fp, "<details id=\"ex-%zu\"><summary>", i);
		h_text(fp, ex->id);
		fprintf(fp, " (%zu method%s)</summary>\n", ex->nmethods,
		    ex->nmethods == 1 ? "" : "s");
		if (ex->nmethods == 0)
			h_none(fp);
		else {
			h_table_open(fp, cols);
			for (j = 0; j < ex->nmethods; j++) {
				ms = &ex->methods[j];
				fputs("<tr>", fp);
				h_td(fp, ms->name);
				h_td_int(fp, ms->calls);
				h_td_int(fp, ms->entries);
				h_td_int(fp, ms->failures);
				h_td_num(fp, ms->time_n != 0 ?
				    ms->total_time_ms : NAN, 2);
				h_td_num(fp, method_mean_time(ms), 3);
				h_td_num(fp, ms->time_n != 0 ?
				    ms->max_time_ms : NAN, 2);
				h_td_num(fp, method_mean_mem(ms), 3);
				h_td(fp, ms->last_error);
				fputs("</tr>\n", fp);
			}
			h_table_close(fp);
		}
		if (ex->dropped_methods != 0)
			fprintf(fp, "<p class=\"none\">%llu method entries "
			    "over the limit were not tracked.</p>\n",
			    (unsigned long long)ex->dropped_methods);
		fputs("</details>\n", fp);
	}
	fputs("</section>\n", fp);
}

/* Field names the reader did not know: a typo shows up here. */
static void
h_unknown(FILE *fp, const struct model *model)
{
	static const char *const cols[] = { "Field", "Records", NULL };
	unsigned	 i;

	fprintf(fp, "<section id=\"unknown\">\n<h2>Unknown fields (%u)</h2>\n",
	    model->nunknown);
	if (model->no_metric > 0)
		fprintf(fp, "<p>%llu record%s had no known metric at all.</p>\n",
		    (unsigned long long)model->no_metric,
		    model->no_metric == 1 ? "" : "s");
	if (model->nunknown == 0)
		h_none(fp);
	else {
		h_table_open(fp, cols);
		for (i = 0; i < model->nunknown; i++) {
			fputs("<tr>", fp);
			h_td(fp, model->unknown[i].name);
			h_td_int(fp, model->unknown[i].count);
			fputs("</tr>\n", fp);
		}
		if (model->unknown_other > 0) {
			fputs("<tr><td>(other names)</td>", fp);
			h_td_int(fp, model->unknown_other);
			fputs("</tr>\n", fp);
		}
		h_table_close(fp);
	}
	fputs("</section>\n", fp);
}

static void
h_invalid(FILE *fp, const struct model *model)
{
	static const char *const reasons[] = { "Reason", "Count", NULL };
	static const char *const recent[] = { "Source", "Line", "Reason",
	    "Detail", NULL };
	const struct rejection	*rj;
	enum reject_reason	 r;
	unsigned		 i;

	fprintf(fp, "<section id=\"invalid\">\n<h2>Invalid records (%llu)</h2>\n",
	    (unsigned long long)model->invalid);
	if (model->invalid == 0 && model->dropped_records == 0) {
		h_none(fp);
		fputs("</section>\n", fp);
		return;
	}
	h_table_open(fp, reasons);
	for (r = 0; r < REJECT_COUNT; r++) {
		if (model->invalid_by[r] == 0)
			continue;
		fputs("<tr>", fp);
		h_td(fp, record_reject_name(r));
		h_td_int(fp, model->invalid_by[r]);
		fputs("</tr>\n", fp);
	}
	if (model->dropped_records != 0) {
		fputs("<tr><td>dropped (too many executors)</td>", fp);
		h_td_int(fp, model->dropped_records);
		fputs("</tr>\n", fp);
	}
	h_table_close(fp);
	if (model_rejection(model, 0) != NULL) {
		fputs("<h3>Most recent</h3>\n", fp);
		h_table_open(fp, recent);
		for (i = 0; (rj = model_rejection(model, i)) != NULL; i++) {
			fputs("<tr>", fp);
			h_td(fp, rj->source);
			h_td_int(fp, rj->line);
			h_td(fp, record_reject_name(rj->reason));
			h_td(fp, rj->detail);
			fputs("</tr>\n", fp);
		}
		h_table_close(fp);
	}
	fputs("</section>\n", fp);
}

static void
h_config(FILE *fp, const struct config *cfg)
{
	static const char *const cols[] = { "Setting", "Value", NULL };
	enum metric	 m;

	if (cfg == NULL)
		return;
	fputs("<section id=\"config\">\n<h2>Configuration</h2>\n", fp);
	h_table_open(fp, cols);
	for (m = 0; m < METRIC_COUNT; m++) {
		fprintf(fp, "<tr><td>threshold %s (%%)</td>", metric_name(m));
		h_td_num(fp, cfg->has_threshold[m] ? cfg->threshold[m] : NAN,
		    1);
		fputs("</tr>\n", fp);
	}
	fputs("<tr><td>critical_factor</td>", fp);
	h_td_num(fp, cfg->critical_factor, 2);
	fputs("</tr>\n<tr><td>min_samples</td>", fp);
	h_td_int(fp, cfg->min_samples);
	fputs("</tr>\n<tr><td>significance</td>", fp);
	h_td_num(fp, cfg->significance, 3);
	fputs("</tr>\n<tr><td>window</td>", fp);
	h_td_int(fp, cfg->window);
	fputs("</tr>\n", fp);
	h_table_close(fp);
	fputs("</section>\n", fp);
}

int
report_html_write(FILE *fp, const struct report_ctx *ctx)
{
	const struct baseline	*bl = ctx->baseline;
	char			 ts[32];

	report_iso8601(ctx->now, ts, sizeof ts);
	fputs(html_head, fp);
	fprintf(fp, "<title>exectop report %s</title>\n", ts);
	fputs(html_style, fp);
	fputs("<body>\n<header>\n<h1>exectop performance report</h1>\n", fp);
	fprintf(fp, "<p class=\"meta\">Generated %s</p>\n", ts);
	fputs("<p class=\"meta\">Sources: ", fp);
	h_text(fp, ctx->sources);
	fputs("</p>\n<p class=\"meta\">Baseline: ", fp);
	if (bl == NULL)
		fputs("none", fp);
	else {
		h_text(fp, bl->path != NULL ? bl->path : "(in memory)");
		if (bl->source != NULL) {
			fputs(", from ", fp);
			h_text(fp, bl->source);
		}
		if (bl->created != NULL) {
			fputs(", created ", fp);
			h_text(fp, bl->created);
		}
	}
	fputs("</p>\n</header>\n", fp);

	h_summary(fp, ctx);
	h_regressions(fp, ctx->analysis);
	fputs("<section id=\"findings\">\n<h2>Improvements, pending, new and "
	    "missing</h2>\n", fp);
	h_improvements(fp, ctx->analysis);
	h_pending(fp, ctx->analysis);
	h_fresh(fp, ctx->analysis);
	h_missing(fp, ctx);
	fputs("</section>\n", fp);
	h_bottlenecks(fp, ctx->analysis);
	h_rankings(fp, ctx);
	h_executors(fp, ctx);
	h_methods(fp, ctx);
	h_invalid(fp, ctx->model);
	h_unknown(fp, ctx->model);
	h_config(fp, ctx->config);
	fputs(html_script, fp);
	fputs("</body>\n</html>\n", fp);
	return ferror(fp) ? -1 : 0;
}
