/*
 * analysis.c - findings from the model: bottleneck scores and rankings
 * over every run, regressions and improvements of the recent window
 * against the baseline, and one status per executor.
 *
 * A regression needs three things: a baseline mean that is neither zero
 * nor missing (else the metric is "new"), at least min_samples runs in the
 * window (else it is "pending"), and evidence: delta beyond the threshold
 * and, where both sides have n >= 2 and a variance, Welch's t-test with
 * p < significance (significance 0 turns the test off).
 *
 * Where the model's change detector has a reference for the metric (a
 * baseline with a spread, significance > 0: see detect.h), its alarm
 * replaces the window rule: a regression or improvement exists while the
 * detector holds it, with the change point and the shift since it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "model.h"
#include "xmalloc.h"

/* Absolute levels above which a bottleneck gets specific advice. */
#define ADVICE_TIME_MS		1000.0
#define ADVICE_MEMORY_MB	100.0
#define ADVICE_SER_MS		100.0

static const char *metric_advice[METRIC_COUNT] = {
	[METRIC_EXEC_TIME] = "review the method call sequence, add caching, "
	    "or optimise slow methods",
	[METRIC_MEM_FOOTPRINT] = "look for leaks and large intermediate "
	    "objects; release or stream data",
	[METRIC_MEM_PEAK] = "reduce peak allocations: process in chunks or "
	    "free buffers earlier",
	[METRIC_SER_TIME] = "use a faster serializer or serialize less data",
	[METRIC_SER_SIZE] = "trim the payload: drop unused fields or compress",
};

int
analysis_gate_level(int fail_on)
{
	if (fail_on == -1)
		return -1;
	if (fail_on == SEV_WARNING)
		return SEV_WARNING;
	return SEV_CRITICAL;
}

bool
analysis_gate_fails(int fail_on, enum severity sev)
{
	int	 level = analysis_gate_level(fail_on);

	return level != -1 && (int)sev >= level;
}

bool
analysis_gate_failed(const struct analysis *a, int fail_on)
{
	size_t	 i;

	for (i = 0; i < a->nregressions; i++) {
		if (analysis_gate_fails(fail_on, a->regressions[i].severity))
			return true;
	}
	return false;
}

const char *
analysis_gate_name(int fail_on)
{
	int	 level = analysis_gate_level(fail_on);

	return level == -1 ? "never" : severity_name((enum severity)level);
}

const char *
severity_name(enum severity s)
{
	switch (s) {
	case SEV_WARNING:
		return "warning";
	case SEV_CRITICAL:
		return "critical";
	default:
		return "none";
	}
}

const char *
finding_kind_name(enum finding_kind k)
{
	switch (k) {
	case FINDING_REGRESSION:
		return "regression";
	case FINDING_IMPROVEMENT:
		return "improvement";
	case FINDING_PENDING:
		return "pending";
	default:
		return "new";
	}
}

const char *
exec_status_name(enum exec_status s)
{
	static const char *names[] = { "OK", "PENDING", "NEW", "IMPROVED",
	    "WARN", "CRIT" };

	return names[s];
}

double
analysis_score(const struct config *cfg, double t, double mem, double ser)
{
	return cfg->weight[METRIC_EXEC_TIME] * (isnan(t) ? 0 : t) +
	    cfg->weight[METRIC_MEM_FOOTPRINT] * (isnan(mem) ? 0 : mem) +
	    cfg->weight[METRIC_SER_TIME] * (isnan(ser) ? 0 : ser);
}

static double
executor_mean(const struct executor *ex, enum metric k)
{
	return ex->m[k].all.n > 0 ? ex->m[k].all.mean : NAN;
}

/* A growable list of findings. */
struct flist {
	struct finding	*v;
	size_t		 n;
	size_t		 cap;
};

static struct finding *
flist_add(struct flist *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	return &l->v[l->n++];
}

static int
finding_cmp_id(const struct finding *a, const struct finding *b)
{
	int	c = strcmp(a->ex->id, b->ex->id);

	return c != 0 ? c : (int)a->metric - (int)b->metric;
}

static int
regression_cmp(const void *pa, const void *pb)
{
	const struct finding	*a = pa, *b = pb;

	if (a->severity != b->severity)
		return a->severity == SEV_CRITICAL ? -1 : 1;
	if (a->delta_percent != b->delta_percent)
		return a->delta_percent > b->delta_percent ? -1 : 1;
	return finding_cmp_id(a, b);
}

static int
improvement_cmp(const void *pa, const void *pb)
{
	const struct finding	*a = pa, *b = pb;

	if (a->delta_percent != b->delta_percent)
		return a->delta_percent < b->delta_percent ? -1 : 1;
	return finding_cmp_id(a, b);
}

static int
id_cmp(const void *pa, const void *pb)
{
	return finding_cmp_id(pa, pb);
}

static int
dbl_cmp(const void *pa, const void *pb)
{
	double	a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* Fills the detector's fields of f; returns the shift in percent. */
static double
analysis_detected(const struct executor *ex, enum metric k,
    struct finding *f)
{
	const struct detect	*d = &ex->m[k].det;
	const struct detect_ref	*r = &ex->m[k].ref;
	double			 buf[1024], med, se, rho, n;
	size_t			 want, got, i, j;

	f->detected = true;
	f->change_run = d->cp_run;
	f->change_ts = d->cp_ts;
	f->since_runs = d->ep_n;
	want = d->ep_n < 1024 ? d->ep_n : 1024;
	got = executor_recent_values(ex, k, buf, want);
	for (i = j = 0; i < got; i++) {
		if (buf[i] > 0 && isfinite(buf[i]))
			buf[j++] = log(buf[i]) - r->mu;
	}
	if (j > 0) {
		qsort(buf, j, sizeof *buf, dbl_cmp);
		med = j % 2 ? buf[j / 2] : (buf[j / 2 - 1] + buf[j / 2]) / 2;
		n = (double)j;
		se = 1.2533;	/* the median's efficiency */
	} else {
		med = d->ep_n > 0 ? d->ep_sum / (double)d->ep_n : 0;
		n = d->ep_n > 0 ? (double)d->ep_n : 1;
		se = 1;
	}
	rho = detect_rho(d);
	se *= r->sigma * sqrt((1 + rho) / (1 - rho) / n);
	f->shift_lo = expm1(med - 1.96 * se) * 100;
	f->shift_hi = expm1(med + 1.96 * se) * 100;
	return expm1(med) * 100;
}

/* Judges one metric of one executor; returns the status it implies. */
static enum exec_status
analysis_judge(struct flist *lists, const struct model *m,
    const struct executor *ex, const struct baseline_entry *be,
    const struct config *cfg, enum metric k)
{
	const struct baseline_metric	*bm = be != NULL ? &be->m[k] : NULL;
	struct summary			 cur;
	struct finding			*f, tmp;
	double				 thr = cfg->threshold[k], delta, p;
	enum finding_kind		 kind;
	enum severity			 sev = SEV_NONE;
	bool				 evidence;

	executor_moments_recent(ex, m, k, &cur);
	if (cur.n == 0)
		return STATUS_OK;

	memset(&tmp, 0, sizeof tmp);
	tmp.ex = ex;
	tmp.metric = k;
	tmp.threshold = thr;
	tmp.current_value = cur.mean;
	tmp.samples = cur.n;
	tmp.min_samples = cfg->min_samples;
	tmp.baseline_value = bm != NULL && bm->present ? bm->mean : NAN;
	tmp.delta_percent = NAN;
	tmp.p_value = NAN;

	if (bm == NULL || !bm->present || bm->n == 0 || isnan(bm->mean) ||
	    bm->mean == 0) {
		kind = FINDING_NEW;
		snprintf(tmp.recommendation, sizeof tmp.recommendation,
		    "no baseline for %s: save a baseline to compare",
		    metric_label(k));
		goto add;
	}
	if (cur.n < cfg->min_samples) {
		kind = FINDING_PENDING;
		snprintf(tmp.recommendation, sizeof tmp.recommendation,
		    "%s: %llu of %u runs needed before judging",
		    metric_label(k), (unsigned long long)cur.n, cfg->min_samples);
		goto add;
	}

	tmp.shift_lo = tmp.shift_hi = tmp.change_ts = tmp.shift_percent = NAN;
	if (ex->m[k].ref.active) {
		const struct detect *d = &ex->m[k].det;
		double		     shift;

		if (d->state == DETECT_NONE)
			return STATUS_OK;
		shift = analysis_detected(ex, k, &tmp);
		tmp.shift_percent = shift;
		/* delta and p keep their meaning (window mean vs baseline,
		 * Welch), shown beside the detector's estimate. */
		tmp.delta_percent = metric_delta_percent(bm->mean, cur.mean);
		tmp.p_value = stat_welch_p(cur.mean, cur.variance, cur.n,
		    bm->mean, bm->variance, bm->n);
		if (d->state == DETECT_UP) {
			kind = FINDING_REGRESSION;
			sev = shift > thr * cfg->critical_factor ? SEV_CRITICAL :
			    SEV_WARNING;
			snprintf(tmp.recommendation, sizeof tmp.recommendation,
			    "%s increased by %.1f%% since run %llu: %s",
			    metric_label(k), shift,
			    (unsigned long long)tmp.change_run, metric_advice[k]);
		} else {
			kind = FINDING_IMPROVEMENT;
			snprintf(tmp.recommendation, sizeof tmp.recommendation,
			    "%s decreased by %.1f%% since run %llu: consider "
			    "saving a new baseline", metric_label(k), -shift,
			    (unsigned long long)tmp.change_run);
		}
		goto add;
	}
	delta = metric_delta_percent(bm->mean, cur.mean);
	tmp.delta_percent = delta;
	p = NAN;
	if (cfg->significance > 0)
		p = stat_welch_p(cur.mean, cur.variance, cur.n, bm->mean,
		    bm->variance, bm->n);
	tmp.p_value = p;
	evidence = cfg->significance == 0 || isnan(p) || p < cfg->significance;
	if (delta > thr && evidence) {
		kind = FINDING_REGRESSION;
		sev = delta > thr * cfg->critical_factor ? SEV_CRITICAL : SEV_WARNING;
		/* Values near DBL_MAX overflow the percentage: say so
		 * rather than "inf%". */
		if (isfinite(delta))
			snprintf(tmp.recommendation, sizeof tmp.recommendation,
			    "%s increased by %.1f%%: %s", metric_label(k),
			    delta, metric_advice[k]);
		else
			snprintf(tmp.recommendation, sizeof tmp.recommendation,
			    "%s increased by more than 1e308%%: %s",
			    metric_label(k), metric_advice[k]);
	} else if (delta < -thr && evidence) {
		kind = FINDING_IMPROVEMENT;
		if (isfinite(delta))
			snprintf(tmp.recommendation, sizeof tmp.recommendation,
			    "%s decreased by %.1f%%: consider saving a new "
			    "baseline", metric_label(k), -delta);
		else
			snprintf(tmp.recommendation, sizeof tmp.recommendation,
			    "%s decreased by more than 1e308%%: consider "
			    "saving a new baseline", metric_label(k));
	} else
		return STATUS_OK;
add:
	tmp.kind = kind;
	tmp.severity = sev;
	f = flist_add(&lists[kind]);
	*f = tmp;
	switch (kind) {
	case FINDING_REGRESSION:
		return sev == SEV_CRITICAL ? STATUS_CRIT : STATUS_WARN;
	case FINDING_IMPROVEMENT:
		return STATUS_IMPROVED;
	case FINDING_PENDING:
		return STATUS_PENDING;
	default:
		return STATUS_NEW;
	}
}

#define BOTTLENECK_OK "Performance acceptable, monitor for regressions"

/* The recommendation of a bottleneck entry (static text). */
static const char *
bottleneck_advice(const struct config *cfg, double t, double mem, double ser)
{
	double		best = 0, c;
	const char	*advice = BOTTLENECK_OK;

	if (!isnan(t) && t > ADVICE_TIME_MS &&
	    (c = cfg->weight[METRIC_EXEC_TIME] * t) > best) {
		best = c;
		advice = "High execution time: profile the slowest method, add "
		    "caching, or parallelise independent work";
	}
	if (!isnan(mem) && mem > ADVICE_MEMORY_MB &&
	    (c = cfg->weight[METRIC_MEM_FOOTPRINT] * mem) > best) {
		best = c;
		advice = "High memory use: stream data, release intermediate "
		    "objects, or process in chunks";
	}
	if (!isnan(ser) && ser > ADVICE_SER_MS &&
	    (c = cfg->weight[METRIC_SER_TIME] * ser) > best) {
		advice = "Slow serialization: use a faster format or serialize "
		    "less data";
	}
	return advice;
}

static const struct analysis *sort_ctx_a;
static enum metric sort_ctx_metric;

static int
score_cmp(const void *pa, const void *pb)
{
	const struct executor	*a = *(const struct executor *const *)pa;
	const struct executor	*b = *(const struct executor *const *)pb;
	double			 sa = sort_ctx_a->score[a->index];
	double			 sb = sort_ctx_a->score[b->index];

	if (sa != sb)
		return sa > sb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int
mean_cmp(const void *pa, const void *pb)
{
	const struct executor	*a = *(const struct executor *const *)pa;
	const struct executor	*b = *(const struct executor *const *)pb;
	double			 ma = executor_mean(a, sort_ctx_metric);
	double			 mb = executor_mean(b, sort_ctx_metric);

	if (ma != mb)
		return ma > mb ? -1 : 1;
	return strcmp(a->id, b->id);
}

/*
 * Puts the first n of v[0..cnt) in cmp's order at the front, sorted, as
 * qsort would (the rest stays, in no order): a refresh of 10,000
 * executors wants the top 10, not a full sort.  cmp must be a total order
 * (ties go by the unique id); with a NaN key it is not, so the caller
 * passes total = false and gets qsort itself.
 */
static void
analysis_top(const struct executor **v, size_t cnt, size_t n,
    int (*cmp)(const void *, const void *), bool total)
{
	const struct executor	*x;
	size_t			 i, j;

	if (cnt < 2)
		return;
	if (!total || n == 0 || n >= cnt / 4) {
		qsort(v, cnt, sizeof *v, cmp);
		return;
	}
	qsort(v, n, sizeof *v, cmp);
	for (i = n; i < cnt; i++) {
		if (cmp(&v[i], &v[n - 1]) >= 0)
			continue;
		x = v[i];
		v[i] = v[n - 1];
		for (j = n - 1; j > 0 && cmp(&x, &v[j - 1]) < 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* The top n executors by mean of metric k (those with data). */
static const struct executor **
analysis_rank(const struct model *m, enum metric k, size_t n, size_t *outn)
{
	const struct executor	**v;
	size_t			  i, cnt = 0;
	bool			  total = true;

	v = xcalloc(m->nexecs ? m->nexecs : 1, sizeof *v);
	for (i = 0; i < m->nexecs; i++) {
		if (m->execs[i]->m[k].all.n > 0) {
			v[cnt++] = m->execs[i];
			if (isnan(executor_mean(m->execs[i], k)))
				total = false;
		}
	}
	sort_ctx_metric = k;
	analysis_top(v, cnt, n, mean_cmp, total);
	*outn = cnt < n ? cnt : n;
	return v;
}

static void
analysis_bottlenecks(struct analysis *a, const struct model *m,
    const struct config *cfg)
{
	const struct executor	**v;
	const struct executor	 *ex;
	struct bottleneck	 *b;
	size_t			  i, j, n;
	double			  best_t, best_m, x;

	bool			  total = true;

	v = xcalloc(m->nexecs ? m->nexecs : 1, sizeof *v);
	for (i = 0; i < m->nexecs; i++) {
		v[i] = m->execs[i];
		if (isnan(a->score[i]))
			total = false;
	}
	sort_ctx_a = a;
	n = m->nexecs < cfg->top_n ? m->nexecs : cfg->top_n;
	analysis_top(v, m->nexecs, n, score_cmp, total);
	a->bottlenecks = xcalloc(n ? n : 1, sizeof *a->bottlenecks);
	a->nbottlenecks = n;
	for (i = 0; i < n; i++) {
		ex = v[i];
		b = &a->bottlenecks[i];
		b->ex = ex;
		b->score = a->score[ex->index];
		b->avg_time_ms = executor_mean(ex, METRIC_EXEC_TIME);
		b->avg_memory_mb = executor_mean(ex, METRIC_MEM_FOOTPRINT);
		b->avg_ser_time_ms = executor_mean(ex, METRIC_SER_TIME);
		best_t = best_m = -INFINITY;
		for (j = 0; j < ex->nmethods; j++) {
			x = method_mean_time(&ex->methods[j]);
			if (!isnan(x) && x > best_t) {
				best_t = x;
				b->slowest = &ex->methods[j];
			}
			x = method_mean_mem(&ex->methods[j]);
			if (!isnan(x) && x > best_m) {
				best_m = x;
				b->memory_intensive = &ex->methods[j];
			}
		}
		b->recommendation = bottleneck_advice(cfg, b->avg_time_ms,
		    b->avg_memory_mb, b->avg_ser_time_ms);
		/* Never "acceptable" next to the executor's own regression. */
		if (strcmp(b->recommendation, BOTTLENECK_OK) == 0 &&
		    (a->status[ex->index] == STATUS_CRIT ||
		    a->status[ex->index] == STATUS_WARN))
			b->recommendation = "Regressed against the baseline: "
			    "see its alert and what changed at the change point";
	}
	free(v);
}

struct analysis *
analysis_run(const struct model *m, const struct baseline *bl,
    const struct config *cfg)
{
	struct analysis			*a;
	struct flist			 lists[4];
	const struct executor		*ex;
	const struct baseline_entry	*be;
	enum exec_status		 st, s;
	size_t				 i, n_time = 0, n_mem = 0;
	int				 k;

	a = xcalloc(1, sizeof *a);
	memset(lists, 0, sizeof lists);
	a->nexecs = m->nexecs;
	a->score = xcalloc(m->nexecs ? m->nexecs : 1, sizeof *a->score);
	a->status = xcalloc(m->nexecs ? m->nexecs : 1, sizeof *a->status);

	for (i = 0; i < m->nexecs; i++) {
		ex = m->execs[i];
		a->score[i] = analysis_score(cfg, executor_mean(ex, METRIC_EXEC_TIME),
		    executor_mean(ex, METRIC_MEM_FOOTPRINT),
		    executor_mean(ex, METRIC_SER_TIME));
		a->total_runs += ex->runs;
		a->total_failures += ex->failures;
		if (ex->m[METRIC_EXEC_TIME].all.n > 0) {
			a->total_execution_time_ms += ex->m[METRIC_EXEC_TIME].all.mean *
			    (double)ex->m[METRIC_EXEC_TIME].all.n;
			n_time += ex->m[METRIC_EXEC_TIME].all.n;
		}
		if (ex->m[METRIC_MEM_FOOTPRINT].all.n > 0) {
			a->total_memory_mb += ex->m[METRIC_MEM_FOOTPRINT].all.mean *
			    (double)ex->m[METRIC_MEM_FOOTPRINT].all.n;
			n_mem += ex->m[METRIC_MEM_FOOTPRINT].all.n;
		}

		st = STATUS_OK;
		if (bl != NULL) {
			be = baseline_find(bl, ex->id);
			if (be == NULL)
				st = STATUS_NEW;
			for (k = 0; k < METRIC_COUNT; k++) {
				if (!cfg->has_threshold[k])
					continue;
				s = analysis_judge(lists, m, ex, be, cfg, k);
				if (s > st)
					st = s;
			}
		}
		a->status[i] = st;
	}
	a->avg_execution_time_ms = n_time > 0 ?
	    a->total_execution_time_ms / (double)n_time : NAN;
	a->avg_memory_mb = n_mem > 0 ? a->total_memory_mb / (double)n_mem : NAN;
	a->success_rate = a->total_runs > 0 ? (double)(a->total_runs -
	    a->total_failures) / (double)a->total_runs : NAN;

	for (k = 0; k < 4; k++) {
		if (lists[k].n > 1)
			qsort(lists[k].v, lists[k].n, sizeof (struct finding),
			    k == FINDING_REGRESSION ? regression_cmp :
			    k == FINDING_IMPROVEMENT ? improvement_cmp : id_cmp);
	}
	a->regressions = lists[FINDING_REGRESSION].v;
	a->nregressions = lists[FINDING_REGRESSION].n;
	for (i = 0; i < a->nregressions; i++) {
		if (a->regressions[i].severity == SEV_CRITICAL)
			a->ncritical++;
	}
	a->improvements = lists[FINDING_IMPROVEMENT].v;
	a->nimprovements = lists[FINDING_IMPROVEMENT].n;
	a->pending = lists[FINDING_PENDING].v;
	a->npending = lists[FINDING_PENDING].n;
	a->fresh = lists[FINDING_NEW].v;
	a->nfresh = lists[FINDING_NEW].n;

	analysis_bottlenecks(a, m, cfg);
	a->slowest = analysis_rank(m, METRIC_EXEC_TIME, cfg->top_n,
	    &a->nslowest);
	a->memory_intensive = analysis_rank(m, METRIC_MEM_FOOTPRINT, cfg->top_n,
	    &a->nmemory_intensive);
	a->serialization_heavy = analysis_rank(m, METRIC_SER_TIME, cfg->top_n,
	    &a->nserialization_heavy);
	return a;
}

void
analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	free(a->regressions);
	free(a->improvements);
	free(a->pending);
	free(a->fresh);
	free(a->score);
	free(a->status);
	free(a->bottlenecks);
	free(a->slowest);
	free(a->memory_intensive);
	free(a->serialization_heavy);
	free(a);
}
