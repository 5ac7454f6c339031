/*
 * view.c - the display copy of the model and analysis (see view.h).
 *
 * Built at most once per refresh, only when the model or the config
 * changed, and not at all while the display is paused.
 *
 * Tables of thousands of executors stay cheap: a row whose executor has
 * had no run since the last build is copied instead of summarized again;
 * each row is matched against the filter once; and sorting works on a
 * flat array of precomputed keys.  When the column, direction and filter
 * are those of the last sort, it starts from the last order: between two
 * refreshes most values move little, so an insertion sort finishes in
 * nearly linear time (with a cap on the moves, past which it falls back
 * to a full sort).  Ranks are kept the same way.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
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

/* Frees the alerts and bottlenecks. */
static void
view_clear_findings(struct view *v)
{
	size_t	i;

	for (i = 0; i < v->nalerts; i++)
		free(v->alerts[i].id);
	for (i = 0; i < v->nbns; i++) {
		free(v->bns[i].id);
		free(v->bns[i].slowest);
		free(v->bns[i].memory);
	}
	for (i = 0; i < v->nmissing; i++)
		free(v->missing[i]);
	free(v->missing);
	v->missing = NULL;
	v->nmissing = 0;
	free(v->alerts);
	free(v->bns);
	v->alerts = NULL;
	v->bns = NULL;
	v->nalerts = v->ncritical = v->nbns = 0;
	v->nimprovements = v->npending = v->nfresh = 0;
}

static void
view_clear(struct view *v)
{
	size_t	i;

	view_clear_findings(v);
	for (i = 0; i < v->nrows; i++)
		free(v->rows[i].id);
	free(v->rows);
	free(v->order);
	free(v->match);
	free(v->match_filter);
	free(v->rank_idx);
	free(v->id_idx);
	free(v->id_rank);
	memset(v, 0, sizeof *v);
}

void
view_free(struct view *v)
{
	if (v != NULL)
		view_clear(v);
}

void
view_set_missing(struct view *v, const struct baseline *bl,
    const struct model *m)
{
	const char	**ids;
	size_t		 i, n;

	for (i = 0; i < v->nmissing; i++)
		free(v->missing[i]);
	free(v->missing);
	v->missing = NULL;
	v->nmissing = 0;
	n = baseline_missing(bl, m, &ids);
	if (n == 0)
		return;
	v->missing = xcalloc(n, sizeof *v->missing);
	for (i = 0; i < n; i++)
		v->missing[i] = xstrdup(ids[i]);
	v->nmissing = n;
	free(ids);
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

/* Forward: the value a column sorts by. */
static double	view_row_value(const struct view_row *, enum view_col);

/*
 * A row's sort key: its value (times the direction) mapped to an integer
 * that orders the same way, NAN above everything (last either way); ties
 * go by the row's place in id order.  Integer compares only.
 */
struct view_key {
	uint64_t	 v;
	uint32_t	 tie;
	uint32_t	 row;
};

static uint64_t
view_key_of(double x)
{
	uint64_t	u;

	if (isnan(x))
		return UINT64_MAX;
	if (x == 0)
		x = 0;		/* -0 ties with 0 */
	memcpy(&u, &x, sizeof u);
	return (u & (UINT64_C(1) << 63)) ? ~u : u | (UINT64_C(1) << 63);
}

static int
view_sortkey_cmp(const void *pa, const void *pb)
{
	const struct view_key	*a = pa, *b = pb;

	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return (a->tie > b->tie) - (a->tie < b->tie);
}

/*
 * Insertion sort of nearly sorted keys; gives up (returns 0, the keys
 * still a permutation) after budget moves.
 */
static int
view_insertion(struct view_key *k, size_t n, size_t budget)
{
	struct view_key	x;
	size_t		i, j, moves = 0;

	for (i = 1; i < n; i++) {
		if (view_sortkey_cmp(&k[i - 1], &k[i]) <= 0)
			continue;
		x = k[i];
		for (j = i; j > 0 && view_sortkey_cmp(&k[j - 1], &x) > 0; j--) {
			k[j] = k[j - 1];
			if (++moves > budget) {
				k[j - 1] = x;	/* keep a permutation */
				return 0;
			}
		}
		k[j] = x;
	}
	return 1;
}

/*
 * Stable LSD radix sort on v, a byte at a time (bytes every key shares
 * are skipped): keys that arrive in id order leave in (v, id) order.
 */
static void
view_radix(struct view_key *k, size_t n)
{
	struct view_key	*tmp = xcalloc(n, sizeof *tmp), *from = k, *to = tmp, *t;
	size_t		 count[256], i, sum, c;
	unsigned	 shift;

	for (shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(from[i].v >> shift) & 0xff]++;
		if (count[(from[0].v >> shift) & 0xff] == n)
			continue;	/* one value: order unchanged */
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i].v >> shift) & 0xff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	if (from != k)
		memcpy(k, from, n * sizeof *k);
	free(tmp);
}

/* Sorts n row indices by a column; presorted: idx is nearly sorted,
 * else it is in id order.  Needs v->id_rank (view_id_order). */
static void
view_sort_idx(const struct view *v, size_t *idx, size_t n, enum view_col col,
    int dir, bool presorted)
{
	struct view_key	*k;
	size_t		 i;
	uint32_t	 rank;

	if (n < 2)
		return;
	k = xcalloc(n, sizeof *k);
	for (i = 0; i < n; i++) {
		rank = v->id_rank[idx[i]];
		k[i].row = (uint32_t)idx[i];
		k[i].tie = rank;
		if (col == COL_ID)
			k[i].v = dir > 0 ? rank : UINT32_MAX - rank;
		else
			k[i].v = view_key_of(dir * view_row_value(&v->rows[idx[i]],
			    col));
	}
	if (presorted && !view_insertion(k, n, 8 * n + 64))
		qsort(k, n, sizeof *k, view_sortkey_cmp);
	else if (!presorted)
		view_radix(k, n);
	for (i = 0; i < n; i++)
		idx[i] = k[i].row;
	free(k);
}

static int
view_id_cmp(const void *pa, const void *pb, void *arg)
{
	const struct view_row	*rows = arg;

	return strcmp(rows[*(const size_t *)pa].id, rows[*(const size_t *)pb].id);
}

/* Places every row in id order (ids never change: new rows are merged
 * into the last order). */
static void
view_id_order(struct view *v, bool keep)
{
	size_t	i, j, k, nold = keep ? v->nid : 0, *add, nadd;

	v->id_idx = xreallocarray(v->id_idx, v->nrows ? v->nrows : 1,
	    sizeof *v->id_idx);
	v->id_rank = xreallocarray(v->id_rank, v->nrows ? v->nrows : 1,
	    sizeof *v->id_rank);
	nadd = v->nrows - nold;
	if (nadd > 0) {
		/* Sort the new rows, then merge them in. */
		add = xcalloc(nadd, sizeof *add);
		for (i = 0; i < nadd; i++)
			add[i] = nold + i;
		qsort_r(add, nadd, sizeof *add, view_id_cmp, v->rows);
		for (i = nold, j = nadd, k = v->nrows; j > 0; k--) {
			if (i > 0 && strcmp(v->rows[v->id_idx[i - 1]].id,
			    v->rows[add[j - 1]].id) > 0)
				v->id_idx[k - 1] = v->id_idx[--i];
			else
				v->id_idx[k - 1] = add[--j];
		}
		free(add);
	}
	v->nid = v->nrows;
	for (i = 0; i < v->nrows; i++)
		v->id_rank[v->id_idx[i]] = (uint32_t)i;
}

/* Ranks by score (descending, ties by id), from the last ranking. */
static void
view_rank(struct view *v, bool keep)
{
	size_t	i;

	v->rank_idx = xreallocarray(v->rank_idx, v->nrows ? v->nrows : 1,
	    sizeof *v->rank_idx);
	if (!keep) {
		/* From id order, as view_sort_idx wants. */
		memcpy(v->rank_idx, v->id_idx, v->nrows * sizeof *v->rank_idx);
		v->nrank = v->nrows;
	}
	for (i = v->nrank; i < v->nrows; i++)
		v->rank_idx[i] = i;
	view_sort_idx(v, v->rank_idx, v->nrows, COL_SCORE, -1, keep);
	v->nrank = v->nrows;
	for (i = 0; i < v->nrows; i++)
		v->rows[v->rank_idx[i]].rank = (unsigned)(i + 1);
}

/* Whether an old row still shows executor ex as it is. */
static bool
view_row_current(const struct view_row *r, const struct executor *ex)
{
	return r->id != NULL && r->runs == ex->runs && strcmp(r->id, ex->id) == 0;
}

void
view_build(struct view *v, const struct model *m, const struct analysis *a)
{
	const struct executor	*ex;
	struct view_row		*r, *old = v->rows;
	struct view_alert	*al;
	struct view_bottleneck	*bn;
	struct summary		 s;
	size_t			 i, nold = v->nrows, cap;
	bool			 same = v->model == m && old != NULL, kept;
	bool			 stable;
	int			 w;

	view_clear_findings(v);
	if (!same || nold > m->nexecs) {
		/* Another model: nothing cached applies. */
		same = false;
		v->order_valid = false;
		v->nsorted = 0;
		v->nrank = 0;
		free(v->match_filter);
		v->match_filter = NULL;
		for (i = 0; i < nold; i++)
			free(old[i].id);
		nold = 0;
	}
	stable = same;
	v->model = m;
	v->records = m->records;
	v->nrows = m->nexecs;
	v->norder = 0;
	/* The rows are updated in place: a new array of 10,000 rows per
	 * refresh is megabytes of fresh pages and copies. */
	if (v->rows == NULL || v->nrows > v->rows_cap) {
		cap = v->rows_cap * 2 > v->nrows ? v->rows_cap * 2 : v->nrows;
		v->rows = xreallocarray(v->rows, cap ? cap : 1, sizeof *v->rows);
		v->rows_cap = cap ? cap : 1;
	}
	old = v->rows;
	v->order = xreallocarray(v->order, v->nrows ? v->nrows : 1,
	    sizeof *v->order);
	v->match = xreallocarray(v->match, v->nrows ? v->nrows : 1,
	    sizeof *v->match);
	v->id_width = 8;
	for (i = 0; i < m->nexecs; i++) {
		ex = m->execs[i];
		r = &v->rows[i];
		kept = same && i < nold && old[i].id != NULL &&
		    strcmp(old[i].id, ex->id) == 0;
		if (!kept && i < nold) {
			/* A row changed executor: the order is stale. */
			v->order_valid = false;
			stable = false;
		}
		if (!kept || i >= nold)
			v->match[i] = -1;
		if (kept && view_row_current(&old[i], ex)) {
			/* No new run: the summaries stand. */
			memset(r->f, 0, sizeof r->f);
			r->exec = i;
			r->score = a != NULL && i < a->nexecs ? a->score[i] : NAN;
			r->status = a != NULL && i < a->nexecs ? a->status[i] :
			    STATUS_PENDING;
			if ((w = text_width(r->id)) > v->id_width)
				v->id_width = w;
			continue;
		}
		if (i < nold)
			free(r->id);
		memset(r, 0, sizeof *r);
		r->exec = i;
		r->id = xstrdup(ex->id);
		r->runs = ex->runs;
		r->failures = ex->failures;
		executor_summary_all(ex, METRIC_EXEC_TIME, &s);
		r->avg = s.mean;
		r->p95 = s.p95;
		executor_summary_recent(ex, m, METRIC_EXEC_TIME, &s);
		r->now = s.mean;
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

	view_id_order(v, stable);
	view_rank(v, stable && v->nrank > 0);

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
		al->detected = a->regressions[i].detected;
		al->change_run = a->regressions[i].change_run;
		al->shift_percent = a->regressions[i].shift_percent;
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
	case COL_NOW:
		return r->now;
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

void
view_order(struct view *v, enum view_col col, bool reverse,
    const char *filter)
{
	const char	*f = filter != NULL ? filter : "";
	size_t		 i, n = 0;
	bool		 same_filter, keep;
	int		 dir;

	same_filter = v->match_filter != NULL && strcmp(v->match_filter, f) == 0;
	if (!same_filter) {
		free(v->match_filter);
		v->match_filter = xstrdup(f);
		for (i = 0; i < v->nrows; i++)
			v->match[i] = -1;
	}
	for (i = 0; i < v->nrows; i++) {
		if (v->match[i] == -1)
			v->match[i] = *f == '\0' ||
			    strcasestr(v->rows[i].id, f) != NULL;
	}

	/* The same sort as last time: start from its order. */
	keep = same_filter && v->order_valid && v->order_col == col &&
	    v->order_reverse == reverse && v->order_nrows <= v->nrows;
	if (keep) {
		n = v->nsorted;
		for (i = v->order_nrows; i < v->nrows; i++) {
			if (v->match[i])
				v->order[n++] = i;
		}
	} else {
		/* In id order, as view_sort_idx wants. */
		for (i = 0; i < v->nrows; i++) {
			if (v->match[v->id_idx[i]])
				v->order[n++] = v->id_idx[i];
		}
	}
	dir = view_col_desc(col) ? -1 : 1;
	if (reverse)
		dir = -dir;
	view_sort_idx(v, v->order, n, col, dir, keep);
	v->norder = v->nsorted = n;
	v->order_valid = true;
	v->order_col = col;
	v->order_reverse = reverse;
	v->order_nrows = v->nrows;
}

long
view_find(const struct view *v, const char *id)
{
	size_t	lo = 0, hi = v->nid, mid, row, i;
	int	c;

	if (id == NULL)
		return -1;
	/* The row, by binary search in id order; then its place. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(v->rows[v->id_idx[mid]].id, id);
		if (c == 0)
			break;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= hi)
		return -1;
	row = v->id_idx[lo + (hi - lo) / 2];
	for (i = 0; i < v->norder; i++) {
		if (v->order[i] == row)
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
