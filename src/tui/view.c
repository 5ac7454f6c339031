/*
 * view.c - the display copy of the model and analysis (see view.h).
 *
 * Built at most once per refresh, only when the model or the config
 * changed, and not at all while the display is paused.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "view.h"
#include "xmalloc.h"

static const char *view_titles[COL_COUNT] = {
	[COL_RANK] = "#",
	[COL_ID] = "EXECUTOR",
	[COL_RUNS] = "RUNS",
	[COL_FAIL] = "FAIL",
	[COL_AVG] = "AVG ms",
	[COL_P95] = "P95 ms",
	[COL_MEM] = "MEM MB",
	[COL_PEAK] = "PEAK MB",
	[COL_SER] = "SER ms",
	[COL_SERSIZE] = "SER B",
	[COL_SCORE] = "SCORE",
	[COL_TREND] = "TREND",
	[COL_STATUS] = "STATUS",
};

const char *
view_col_title(enum view_col c)
{
	return c < COL_COUNT ? view_titles[c] : "?";
}

bool
view_col_desc(enum view_col c)
{
	return c != COL_RANK && c != COL_ID;
}

static void
view_clear(struct view *v)
{
	size_t	i;

	for (i = 0; i < v->nrows; i++)
		free(v->rows[i].id);
	for (i = 0; i < v->nalerts; i++)
		free(v->alerts[i].id);
	for (i = 0; i < v->nbns; i++) {
		free(v->bns[i].id);
		free(v->bns[i].slowest);
		free(v->bns[i].memory);
	}
	free(v->rows);
	free(v->order);
	free(v->alerts);
	free(v->bns);
	memset(v, 0, sizeof *v);
}

void
view_free(struct view *v)
{
	if (v != NULL)
		view_clear(v);
}

/* How strongly a finding speaks, to keep one per metric. */
static int
view_finding_rank(enum finding_kind k, enum severity s)
{
	switch (k) {
	case FINDING_REGRESSION:
		return s == SEV_CRITICAL ? 5 : 4;
	case FINDING_IMPROVEMENT:
		return 3;
	case FINDING_NEW:
		return 2;
	default:
		return 1;
	}
}

static void
view_add_findings(struct view *v, const struct finding *f, size_t n)
{
	struct view_finding	*vf;
	size_t			 i, ix;

	for (i = 0; i < n; i++) {
		if (f[i].ex == NULL || f[i].metric >= METRIC_COUNT)
			continue;
		ix = f[i].ex->index;
		if (ix >= v->nrows)
			continue;
		vf = &v->rows[ix].f[f[i].metric];
		if (vf->has && view_finding_rank(vf->kind, vf->severity) >=
		    view_finding_rank(f[i].kind, f[i].severity))
			continue;
		vf->has = true;
		vf->kind = f[i].kind;
		vf->severity = f[i].severity;
		vf->threshold = f[i].threshold;
		vf->delta_percent = f[i].delta_percent;
		vf->p_value = f[i].p_value;
		vf->samples = f[i].samples;
		vf->min_samples = f[i].min_samples;
	}
}

static int
view_rank_cmp(const void *pa, const void *pb, void *arg)
{
	const struct view	*v = arg;
	const struct view_row	*a = &v->rows[*(const size_t *)pa];
	const struct view_row	*b = &v->rows[*(const size_t *)pb];

	if (a->score > b->score)
		return -1;
	if (a->score < b->score)
		return 1;
	return strcmp(a->id, b->id);
}

void
view_build(struct view *v, const struct model *m, const struct analysis *a)
{
	const struct executor	*ex;
	struct view_row		*r;
	struct view_alert	*al;
	struct view_bottleneck	*bn;
	struct summary		 s;
	size_t			 i, *idx;
	int			 w;

	view_clear(v);
	v->records = m->records;
	v->nrows = m->nexecs;
	v->rows = xcalloc(v->nrows, sizeof *v->rows);
	v->order = xcalloc(v->nrows, sizeof *v->order);
	v->id_width = 8;
	for (i = 0; i < m->nexecs; i++) {
		ex = m->execs[i];
		r = &v->rows[i];
		r->exec = i;
		r->id = xstrdup(ex->id);
		r->runs = ex->runs;
		r->failures = ex->failures;
		executor_summary_all(ex, METRIC_EXEC_TIME, &s);
		r->avg = s.mean;
		r->p95 = s.p95;
		executor_summary_all(ex, METRIC_MEM_FOOTPRINT, &s);
		r->mem = s.mean;
		executor_summary_all(ex, METRIC_MEM_PEAK, &s);
		r->peak = s.max;
		executor_summary_all(ex, METRIC_SER_TIME, &s);
		r->ser = s.mean;
		executor_summary_all(ex, METRIC_SER_SIZE, &s);
		r->sersize = s.mean;
		r->score = a != NULL && i < a->nexecs ? a->score[i] : NAN;
		r->status = a != NULL && i < a->nexecs ? a->status[i] :
		    STATUS_PENDING;
		r->nspark = executor_spark(ex, r->spark);
		if ((w = text_width(r->id)) > v->id_width)
			v->id_width = w;
	}

	/* Ranks by score. */
	idx = xcalloc(v->nrows, sizeof *idx);
	for (i = 0; i < v->nrows; i++)
		idx[i] = i;
	qsort_r(idx, v->nrows, sizeof *idx, view_rank_cmp, v);
	for (i = 0; i < v->nrows; i++)
		v->rows[idx[i]].rank = (unsigned)(i + 1);
	free(idx);

	if (a == NULL)
		return;
	view_add_findings(v, a->regressions, a->nregressions);
	view_add_findings(v, a->improvements, a->nimprovements);
	view_add_findings(v, a->fresh, a->nfresh);
	view_add_findings(v, a->pending, a->npending);
	v->nimprovements = a->nimprovements;
	v->npending = a->npending;
	v->nfresh = a->nfresh;

	v->alerts = xcalloc(a->nregressions, sizeof *v->alerts);
	for (i = 0; i < a->nregressions; i++) {
		al = &v->alerts[v->nalerts];
		if (a->regressions[i].ex == NULL)
			continue;
		al->id = xstrdup(a->regressions[i].ex->id);
		al->exec = a->regressions[i].ex->index;
		al->metric = a->regressions[i].metric;
		al->severity = a->regressions[i].severity;
		al->baseline_value = a->regressions[i].baseline_value;
		al->current_value = a->regressions[i].current_value;
		al->delta_percent = a->regressions[i].delta_percent;
		al->p_value = a->regressions[i].p_value;
		al->samples = a->regressions[i].samples;
		if (al->severity == SEV_CRITICAL)
			v->ncritical++;
		v->nalerts++;
	}

	v->bns = xcalloc(a->nbottlenecks, sizeof *v->bns);
	for (i = 0; i < a->nbottlenecks; i++) {
		const struct bottleneck	*b = &a->bottlenecks[i];

		if (b->ex == NULL)
			continue;
		bn = &v->bns[v->nbns++];
		bn->id = xstrdup(b->ex->id);
		bn->exec = b->ex->index;
		bn->score = b->score;
		bn->avg_time_ms = b->avg_time_ms;
		bn->avg_memory_mb = b->avg_memory_mb;
		bn->avg_ser_time_ms = b->avg_ser_time_ms;
		if (b->slowest != NULL) {
			bn->slowest = xstrdup(b->slowest->name);
			bn->slowest_ms = method_mean_time(b->slowest);
		}
		if (b->memory_intensive != NULL) {
			bn->memory = xstrdup(b->memory_intensive->name);
			bn->memory_mb = method_mean_mem(b->memory_intensive);
		}
		bn->recommendation = b->recommendation;
	}
}

/* NAN sorts last whatever the direction. */
static int
view_num_cmp(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a > b) - (a < b);
}

static int
view_status_weight(enum exec_status s)
{
	switch (s) {
	case STATUS_CRIT:
		return 5;
	case STATUS_WARN:
		return 4;
	case STATUS_NEW:
		return 3;
	case STATUS_IMPROVED:
		return 2;
	case STATUS_PENDING:
		return 1;
	default:
		return 0;
	}
}

struct view_sort {
	const struct view	*v;
	enum view_col		 col;
	int			 dir;	/* 1 ascending, -1 descending */
};

static double
view_row_value(const struct view_row *r, enum view_col col)
{
	switch (col) {
	case COL_RANK:
		return r->rank;
	case COL_RUNS:
		return (double)r->runs;
	case COL_FAIL:
		return (double)r->failures;
	case COL_AVG:
		return r->avg;
	case COL_P95:
		return r->p95;
	case COL_MEM:
		return r->mem;
	case COL_PEAK:
		return r->peak;
	case COL_SER:
		return r->ser;
	case COL_SERSIZE:
		return r->sersize;
	case COL_STATUS:
		return view_status_weight(r->status);
	default:
		return r->score;
	}
}

static int
view_sort_cmp(const void *pa, const void *pb, void *arg)
{
	const struct view_sort	*s = arg;
	const struct view_row	*a = &s->v->rows[*(const size_t *)pa];
	const struct view_row	*b = &s->v->rows[*(const size_t *)pb];
	double			 x, y;
	int			 c;

	if (s->col == COL_ID)
		c = s->dir * strcmp(a->id, b->id);
	else {
		x = view_row_value(a, s->col);
		y = view_row_value(b, s->col);
		if (isnan(x) || isnan(y))
			c = view_num_cmp(x, y);
		else
			c = s->dir * view_num_cmp(x, y);
	}
	if (c == 0)
		c = strcmp(a->id, b->id);
	return c;
}

void
view_order(struct view *v, enum view_col col, bool reverse,
    const char *filter)
{
	struct view_sort	 s;
	size_t			 i;

	v->norder = 0;
	for (i = 0; i < v->nrows; i++) {
		if (filter != NULL && *filter != '\0' &&
		    strcasestr(v->rows[i].id, filter) == NULL)
			continue;
		v->order[v->norder++] = i;
	}
	s.v = v;
	s.col = col;
	s.dir = view_col_desc(col) ? -1 : 1;
	if (reverse)
		s.dir = -s.dir;
	qsort_r(v->order, v->norder, sizeof *v->order, view_sort_cmp, &s);
}

long
view_find(const struct view *v, const char *id)
{
	size_t	i;

	if (id == NULL)
		return -1;
	for (i = 0; i < v->norder; i++) {
		if (strcmp(v->rows[v->order[i]].id, id) == 0)
			return (long)i;
	}
	return -1;
}

static int
view_key_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static uint64_t *
view_alert_keys(const struct analysis *a, size_t *n)
{
	uint64_t	*k;
	size_t		 i;

	*n = 0;
	k = xcalloc(a->nregressions + 1, sizeof *k);
	for (i = 0; i < a->nregressions; i++) {
		if (a->regressions[i].ex == NULL)
			continue;
		k[(*n)++] = (uint64_t)a->regressions[i].ex->index * METRIC_COUNT +
		    a->regressions[i].metric;
	}
	qsort(k, *n, sizeof *k, view_key_cmp);
	return k;
}

void
view_alert_diff(const struct analysis *a, const struct analysis *b,
    size_t *raised, size_t *cleared)
{
	uint64_t	*ka, *kb;
	size_t		 na, nb, i = 0, j = 0;

	*raised = *cleared = 0;
	ka = view_alert_keys(a, &na);
	kb = view_alert_keys(b, &nb);
	while (i < na || j < nb) {
		if (j == nb || (i < na && ka[i] < kb[j])) {
			(*cleared)++;
			i++;
		} else if (i == na || kb[j] < ka[i]) {
			(*raised)++;
			j++;
		} else {
			i++;
			j++;
		}
	}
	free(ka);
	free(kb);
}
