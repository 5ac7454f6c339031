/*
 * report_junit.c - the report as JUnit XML, so that CI systems show
 * regressions as failed tests.
 *
 * One <testsuite name="exectop"> inside <testsuites> holds one <testcase>
 * per executor and checked metric (a metric with a threshold, for which
 * the executor has values): name "EXECUTOR metric", classname
 * "exectop.EXECUTOR".  The outcome is read from the analysis:
 *
 *   regression at or above fail_on    <failure> with the delta, the values
 *                                     and the recommendation
 *   regression below fail_on          passed, noted in <system-out>
 *   improvement                       passed, noted in <system-out>
 *   pending (too few runs)            <skipped>
 *   new (no baseline value)           <skipped>
 *   no baseline at all                <skipped>: nothing was compared
 *   otherwise                         passed
 *
 * An executor of the baseline with no run is a test case "ID missing":
 * skipped, or failed under --fail-on-missing.
 * When the input cannot be trusted (ctx->input_error: no valid record,
 * or more invalid ones than --max-invalid) a test case "input" fails
 * with the reason, which <system-err> repeats.
 *
 * The layout is the one Jenkins, GitLab and the GitHub reporters read
 * (testsuites > testsuite > properties, testcase*, system-out, system-err;
 * the counts as attributes).  Stream text goes through escape_xml()
 * (control, bidi, U+FFFE/U+FFFF and invalid UTF-8 bytes become visible
 * escapes, markup becomes entities), so no character XML 1.0 forbids
 * reaches the output.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "escape.h"
#include "model.h"
#include "report.h"
#include "xmalloc.h"

#include "report_int.h"

/* What one test case turned out to be. */
struct junit_case {
	const struct executor	*ex;
	enum metric		 metric;
	const struct finding	*f;	/* NULL: within thresholds */
	bool			 failed;
	bool			 skipped;
};

/* Text or attribute value, through the shared escaping. */
static void
junit_text(FILE *fp, const char *s)
{
	escape_xml(fp, s != NULL ? s : "");
}

/* Indexes every finding by executor and metric. */
static void
junit_index(const struct finding **by, const struct finding *v, size_t n,
    size_t nexecs)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].ex->index < nexecs)
			by[v[i].ex->index * METRIC_COUNT + v[i].metric] = &v[i];
	}
}

/* The test cases, in model order then metric order. */
static struct junit_case *
junit_cases(const struct report_ctx *ctx, size_t *ncases)
{
	const struct model	*m = ctx->model;
	const struct analysis	*an = ctx->analysis;
	const struct config	*cfg = ctx->config;
	const struct finding	**by, *f;
	struct junit_case	*c;
	struct summary		 s;
	size_t			 i, n = 0;
	enum metric		 k;

	by = xcalloc(m->nexecs * METRIC_COUNT + 1, sizeof *by);
	junit_index(by, an->regressions, an->nregressions, m->nexecs);
	junit_index(by, an->improvements, an->nimprovements, m->nexecs);
	junit_index(by, an->pending, an->npending, m->nexecs);
	junit_index(by, an->fresh, an->nfresh, m->nexecs);
	c = xcalloc(m->nexecs * METRIC_COUNT + 1, sizeof *c);
	for (i = 0; i < m->nexecs; i++) {
		for (k = 0; k < METRIC_COUNT; k++) {
			if (cfg != NULL && !cfg->has_threshold[k])
				continue;
			executor_summary_recent(m->execs[i], m, k, &s);
			if (s.n == 0)
				continue;
			f = by[i * METRIC_COUNT + k];
			c[n].ex = m->execs[i];
			c[n].metric = k;
			c[n].f = f;
			if (ctx->baseline == NULL)
				c[n].skipped = true;
			else if (f != NULL && (f->kind == FINDING_PENDING ||
			    f->kind == FINDING_NEW))
				c[n].skipped = true;
			else if (f != NULL && f->kind == FINDING_REGRESSION &&
			    analysis_gate_fails(ctx->fail_on, f->severity))
				c[n].failed = true;
			n++;
		}
	}
	free(by);
	*ncases = n;
	return c;
}

/* "execution_time_ms +85.3% over baseline (269.39 -> 499.12 ms,
 * threshold 20%, critical above 40%)". */
static void
junit_delta(FILE *fp, const struct report_ctx *ctx, const struct finding *f)
{
	char	 b[64], c[64], d[64];
	int	 prec = report_metric_prec(f->metric);
	double	 cf = ctx->config != NULL ? ctx->config->critical_factor : 2;

	fprintf(fp, "%s %s %s baseline (%s -&gt; %s %s, threshold %g%%, "
	    "critical above %g%%)", metric_name(f->metric),
	    report_fmt_pct(d, sizeof d, f->delta_percent),
	    f->delta_percent < 0 ? "under" : "over",
	    report_fmt(b, sizeof b, f->baseline_value, prec),
	    report_fmt(c, sizeof c, f->current_value, prec),
	    metric_unit(f->metric), f->threshold, f->threshold * cf);
}

static void
junit_failure(FILE *fp, const struct report_ctx *ctx, const struct finding *f)
{
	const struct baseline_entry	*be;
	const char			*sev = severity_name(f->severity);
	char				 v[64];
	int				 prec = report_metric_prec(f->metric);

	fprintf(fp, "      <failure type=\"%s\" message=\"%s regression: ",
	    sev, sev);
	junit_delta(fp, ctx, f);
	fputs(": ", fp);
	junit_text(fp, f->recommendation);
	fputs("\">", fp);
	fputs("executor: ", fp);
	junit_text(fp, f->ex->id);
	fprintf(fp, "\nmetric: %s (%s, %s)\nseverity: %s (fail-on %s)\n",
	    metric_name(f->metric), metric_label(f->metric),
	    metric_unit(f->metric), sev,
	    analysis_gate_name(ctx->fail_on));
	fprintf(fp, "baseline mean: %s %s",
	    report_fmt(v, sizeof v, f->baseline_value, prec),
	    metric_unit(f->metric));
	be = ctx->baseline != NULL ? baseline_find(ctx->baseline, f->ex->id) :
	    NULL;
	if (be != NULL && be->m[f->metric].present)
		fprintf(fp, " (%llu runs)",
		    (unsigned long long)be->m[f->metric].n);
	fprintf(fp, "\ncurrent mean: %s %s (last %llu runs)\n",
	    report_fmt(v, sizeof v, f->current_value, prec),
	    metric_unit(f->metric), (unsigned long long)f->samples);
	fprintf(fp, "delta: %s (threshold %g%%)\n",
	    report_fmt_pct(v, sizeof v, f->delta_percent), f->threshold);
	if (isfinite(f->p_value))
		fprintf(fp, "p-value: %.4g (Welch's t-test)\n", f->p_value);
	fputs("recommendation: ", fp);
	junit_text(fp, f->recommendation);
	fputs("</failure>\n", fp);
}

static void
junit_case(FILE *fp, const struct report_ctx *ctx, const struct junit_case *c)
{
	const struct finding	*f = c->f;

	fputs("    <testcase name=\"", fp);
	junit_text(fp, c->ex->id);
	fprintf(fp, " %s\" classname=\"exectop.", metric_name(c->metric));
	junit_text(fp, c->ex->id);
	fputs("\" time=\"0\"", fp);
	if (c->failed) {
		fputs(">\n", fp);
		junit_failure(fp, ctx, f);
		fputs("    </testcase>\n", fp);
		return;
	}
	if (c->skipped) {
		fputs(">\n      <skipped message=\"", fp);
		if (ctx->baseline == NULL)
			fputs("no baseline: run with -b FILE to compare", fp);
		else {
			fputs(f->kind == FINDING_PENDING ? "pending: " : "new: ",
			    fp);
			junit_text(fp, f->recommendation);
		}
		fputs("\"/>\n    </testcase>\n", fp);
		return;
	}
	if (f == NULL) {
		fputs("/>\n", fp);
		return;
	}
	/* A warning under --fail-on critical, or an improvement. */
	fputs(">\n      <system-out>", fp);
	if (f->kind == FINDING_REGRESSION)
		fprintf(fp, "%s regression (below --fail-on %s): ",
		    severity_name(f->severity),
		    analysis_gate_name(ctx->fail_on));
	else
		fputs("improvement: ", fp);
	junit_delta(fp, ctx, f);
	fputs(": ", fp);
	junit_text(fp, f->recommendation);
	fputs("</system-out>\n    </testcase>\n", fp);
}

/* An executor of the baseline with no run: "ID missing", a failure
 * under --fail-on-missing, else skipped. */
static void
junit_missing(FILE *fp, const struct report_ctx *ctx, const char *id)
{
	static const char msg[] = "missing: in the baseline, no run in this "
	    "input";

	fputs("    <testcase name=\"", fp);
	junit_text(fp, id);
	fputs(" missing\" classname=\"exectop.", fp);
	junit_text(fp, id);
	fputs("\" time=\"0\">\n", fp);
	if (ctx->fail_on_missing)
		fprintf(fp, "      <failure type=\"missing\" message=\"%s\">%s"
		    " (--fail-on-missing)</failure>\n", msg, msg);
	else
		fprintf(fp, "      <skipped message=\"%s\"/>\n", msg);
	fputs("    </testcase>\n", fp);
}

static void
junit_property(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, "      <property name=\"%s\" value=\"", name);
	junit_text(fp, value);
	fputs("\"/>\n", fp);
}

int
report_junit_write(FILE *fp, const struct report_ctx *ctx)
{
	const struct baseline	*bl = ctx->baseline;
	struct junit_case	*cases;
	struct tm		 tm;
	char			 ts[32], num[32];
	size_t			 n, i, ntests, nmissing, nfail = 0, nskip = 0;
	const char		**missing;

	cases = junit_cases(ctx, &n);
	for (i = 0; i < n; i++) {
		nfail += cases[i].failed;
		nskip += cases[i].skipped;
	}
	nmissing = baseline_missing(ctx->baseline, ctx->model, &missing);
	ntests = n + nmissing;
	if (ctx->fail_on_missing)
		nfail += nmissing;
	else
		nskip += nmissing;
	if (ctx->input_error != NULL) {
		ntests++;
		nfail++;
	}
	/* The schema's timestamp has no zone; it is UTC. */
	if (gmtime_r(&ctx->now, &tm) == NULL ||
	    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(ts, sizeof ts, "1970-01-01T00:00:00");

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp, "<testsuites name=\"exectop\" tests=\"%zu\" failures=\"%zu\""
	    " errors=\"0\" skipped=\"%zu\" time=\"0\">\n", ntests, nfail, nskip);
	fprintf(fp, "  <testsuite name=\"exectop\" package=\"exectop\" id=\"0\""
	    " hostname=\"localhost\" timestamp=\"%s\" tests=\"%zu\""
	    " failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
	    ts, ntests, nfail, nskip);
	fputs("    <properties>\n", fp);
	junit_property(fp, "sources", ctx->sources != NULL ? ctx->sources : "");
	junit_property(fp, "baseline", bl == NULL ? "none" :
	    bl->path != NULL ? bl->path : "(in memory)");
	junit_property(fp, "config", ctx->config != NULL &&
	    ctx->config->path != NULL ? ctx->config->path : "built-in defaults");
	junit_property(fp, "fail_on", analysis_gate_name(ctx->fail_on));
	snprintf(num, sizeof num, "%llu",
	    (unsigned long long)ctx->model->records);
	junit_property(fp, "records", num);
	snprintf(num, sizeof num, "%llu",
	    (unsigned long long)ctx->model->invalid);
	junit_property(fp, "invalid_records", num);
	fputs("    </properties>\n", fp);
	if (ctx->input_error != NULL) {
		fputs("    <testcase name=\"input\" classname=\"exectop.input\""
		    " time=\"0\">\n      <failure type=\"input\" message=\"", fp);
		junit_text(fp, ctx->input_error);
		fputs("\">", fp);
		junit_text(fp, ctx->input_error);
		fputs("</failure>\n    </testcase>\n", fp);
	}
	for (i = 0; i < n; i++)
		junit_case(fp, ctx, &cases[i]);
	for (i = 0; i < nmissing; i++)
		junit_missing(fp, ctx, missing[i]);
	free(missing);
	{
		const struct analysis	*an = ctx->analysis;

		fprintf(fp, "    <system-out>%zu executor%s, %llu run%s, %zu "
		    "regression%s (%zu critical), %zu improvement%s, %zu pending, "
		    "%zu new, %zu missing</system-out>\n", ctx->model->nexecs,
		    ctx->model->nexecs == 1 ? "" : "s",
		    (unsigned long long)an->total_runs,
		    an->total_runs == 1 ? "" : "s", an->nregressions,
		    an->nregressions == 1 ? "" : "s", an->ncritical,
		    an->nimprovements, an->nimprovements == 1 ? "" : "s",
		    an->npending, an->nfresh, nmissing);
	}
	if (ctx->input_error != NULL) {
		fputs("    <system-err>", fp);
		junit_text(fp, ctx->input_error);
		fputs("</system-err>\n", fp);
	} else
		fputs("    <system-err/>\n", fp);
	fputs("  </testsuite>\n</testsuites>\n", fp);
	free(cases);
	return ferror(fp) ? -1 : 0;
}
