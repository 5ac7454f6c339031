/*
 * model.c - per-executor aggregates, the one model every view reads.
 *
 * Executors live in an array in order of first appearance, indexed by an
 * open-addressing hash table on the id.  Each metric keeps Welford
 * statistics and a quantile sketch over every run, and a ring of the last
 * `window` values; each executor keeps its methods in a small array.
 * Nothing grows with the number of records.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "config.h"
#include "model.h"
#include "xmalloc.h"

#define MODEL_DEFAULT_MAX_EXECUTORS	10000
#define MODEL_DEFAULT_MAX_METHODS	256
/* Target runs between false alarms of one detector = this / significance. */
#ifndef MODEL_ARL_SCALE
#define MODEL_ARL_SCALE	5000.0
#endif

static uint64_t
model_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

struct model *
model_create(const struct model_limits *limits)
{
	struct model	*m;

	m = xcalloc(1, sizeof *m);
	if (limits != NULL)
		m->limits = *limits;
	if (m->limits.max_executors == 0)
		m->limits.max_executors = MODEL_DEFAULT_MAX_EXECUTORS;
	if (m->limits.max_methods == 0)
		m->limits.max_methods = MODEL_DEFAULT_MAX_METHODS;
	m->table_size = 64;
	m->table = xcalloc(m->table_size, sizeof *m->table);
	return m;
}

static void
executor_free(struct executor *ex)
{
	size_t	i;
	int	k;

	for (k = 0; k < METRIC_COUNT; k++) {
		sketch_free(&ex->m[k].sketch);
		free(ex->m[k].recent.vals);
	}
	for (i = 0; i < ex->nmethods; i++) {
		free(ex->methods[i].name);
		free(ex->methods[i].last_error);
	}
	free(ex->methods);
	free(ex->last_error);
	free(ex->id);
	free(ex);
}

void
model_free(struct model *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nexecs; i++)
		executor_free(m->execs[i]);
	free(m->execs);
	free(m->table);
	for (i = 0; i < m->nrefs; i++)
		free(m->refs[i].id);
	free(m->refs);
	free(m);
}

struct executor *
model_find(const struct model *m, const char *id)
{
	size_t		 mask = m->table_size - 1, i;
	struct executor	*ex;

	for (i = model_hash(id) & mask; (ex = m->table[i]) != NULL;
	    i = (i + 1) & mask) {
		if (strcmp(ex->id, id) == 0)
			return ex;
	}
	return NULL;
}

static void
model_table_insert(struct executor **table, size_t size, struct executor *ex)
{
	size_t	mask = size - 1, i;

	for (i = model_hash(ex->id) & mask; table[i] != NULL; i = (i + 1) & mask)
		;
	table[i] = ex;
}

static void
window_resize(struct window *w, size_t cap)
{
	double		*vals = NULL;
	uint32_t	 keep, k, start;

	keep = w->len < cap ? w->len : (uint32_t)cap;
	if (cap > 0) {
		vals = xcalloc(cap, sizeof *vals);
		/* Oldest kept value first. */
		start = (w->head + w->cap - keep) % (w->cap ? w->cap : 1);
		for (k = 0; k < keep; k++)
			vals[k] = w->vals[(start + k) % w->cap];
	}
	free(w->vals);
	w->vals = vals;
	w->cap = (uint32_t)cap;
	w->len = keep;
	w->head = cap > 0 ? keep % (uint32_t)cap : 0;
}

static void
window_push(struct window *w, double x)
{
	if (w->cap == 0)
		return;
	w->vals[w->head] = x;
	w->head = (w->head + 1) % w->cap;
	if (w->len < w->cap)
		w->len++;
}

static int
model_ref_cmp(const void *pa, const void *pb)
{
	const struct model_ref	*a = pa, *b = pb;

	return strcmp(a->id, b->id);
}

/* A restarted detector starts over on the runs still in the window (their
 * timestamps are not kept: a change point among them has none), numbered
 * as that executor's runs. */
static void
model_replay(struct executor *ex, int k)
{
	struct metric_stats	*ms = &ex->m[k];
	const struct window	*w = &ms->recent;
	uint32_t		 i;

	if (!ms->ref.active || w->len == 0)
		return;
	ms->det.n = ms->all.n > w->len ? ms->all.n - w->len : 0;
	for (i = 0; i < w->len; i++)
		detect_update(&ms->det, &ms->ref,
		    w->vals[(w->head + w->cap - w->len + i) % w->cap], NAN);
}

/* Gives ex its references (inactive when the baseline lacks it); a
 * detector whose reference changed restarts. */
static void
model_ref_apply(struct model *m, struct executor *ex)
{
	struct model_ref	 key, *r = NULL;
	int			 k;

	key.id = ex->id;
	if (m->nrefs > 0)
		r = bsearch(&key, m->refs, m->nrefs, sizeof *m->refs,
		    model_ref_cmp);
	for (k = 0; k < METRIC_COUNT; k++) {
		static const struct detect_ref idle;	/* zero, padding too */
		const struct detect_ref	*want = r != NULL ? &r->ref[k] : &idle;

		if (memcmp(want, &ex->m[k].ref, sizeof *want) != 0) {
			ex->m[k].ref = *want;
			detect_init(&ex->m[k].det);
			model_replay(ex, k);
		}
	}
}

void
model_set_reference(struct model *m, const struct baseline *bl,
    const struct config *cfg)
{
	size_t	i;
	int	k;

	for (i = 0; i < m->nrefs; i++)
		free(m->refs[i].id);
	free(m->refs);
	m->refs = NULL;
	m->nrefs = 0;
	if (bl != NULL && bl->n > 0 && cfg->significance > 0) {
		m->refs = xcalloc(bl->n, sizeof *m->refs);
		for (i = 0; i < bl->n; i++) {
			const struct baseline_entry *be = &bl->entries[i];

			m->refs[i].id = xstrdup(be->executor_id);
			for (k = 0; k < METRIC_COUNT; k++) {
				const struct baseline_metric *bm = &be->m[k];

				/* memcmp in model_ref_apply: no padding junk */
				memset(&m->refs[i].ref[k], 0,
				    sizeof m->refs[i].ref[k]);
				if (bm->present)
					detect_ref_init(&m->refs[i].ref[k], bm->n,
					    bm->p50, bm->p95, cfg->threshold[k],
					    MODEL_ARL_SCALE / cfg->significance);
				if (!m->refs[i].ref[k].active)
					memset(&m->refs[i].ref[k], 0,
					    sizeof m->refs[i].ref[k]);
			}
		}
		m->nrefs = bl->n;
		qsort(m->refs, m->nrefs, sizeof *m->refs, model_ref_cmp);
	}
	for (i = 0; i < m->nexecs; i++)
		model_ref_apply(m, m->execs[i]);
	m->generation++;
}

size_t
executor_recent_values(const struct executor *ex, enum metric k, double *out,
    size_t max)
{
	const struct window	*w = &ex->m[k].recent;
	size_t			 n = w->len < max ? w->len : max, i;

	for (i = 0; i < n; i++)
		out[i] = w->vals[(w->head + w->cap - n + i) % w->cap];
	return n;
}

static struct executor *
model_add_executor(struct model *m, const char *id)
{
	struct executor	 *ex;
	struct executor	**table;
	size_t		  i;
	int		  k;

	if (m->nexecs >= m->limits.max_executors)
		return NULL;
	ex = xcalloc(1, sizeof *ex);
	ex->id = xstrdup(id);
	ex->index = m->nexecs;
	ex->first_ts = ex->last_ts = NAN;
	for (k = 0; k < METRIC_COUNT; k++) {
		stat_acc_init(&ex->m[k].all);
		sketch_init(&ex->m[k].sketch);
		window_resize(&ex->m[k].recent, m->limits.window);
		detect_init(&ex->m[k].det);
	}
	model_ref_apply(m, ex);
	if (m->nexecs == m->execs_cap) {
		m->execs_cap = m->execs_cap == 0 ? 64 : m->execs_cap * 2;
		m->execs = xreallocarray(m->execs, m->execs_cap, sizeof *m->execs);
	}
	m->execs[m->nexecs++] = ex;

	if (m->nexecs * 2 > m->table_size) {
		table = xcalloc(m->table_size * 2, sizeof *table);
		for (i = 0; i < m->nexecs; i++)
			model_table_insert(table, m->table_size * 2, m->execs[i]);
		free(m->table);
		m->table = table;
		m->table_size *= 2;
	} else
		model_table_insert(m->table, m->table_size, ex);
	return ex;
}

/* Whether a method's stored name is class "." method (or method alone). */
static int
method_matches(const struct method_stats *ms, const char *cls, const char *meth)
{
	size_t	clen = strlen(cls);

	if (clen == 0)
		return strcmp(ms->name, meth) == 0;
	return strncmp(ms->name, cls, clen) == 0 && ms->name[clen] == '.' &&
	    strcmp(ms->name + clen + 1, meth) == 0;
}

static struct method_stats *
executor_method(struct model *m, struct executor *ex, const char *cls,
    const char *meth)
{
	struct method_stats	*ms;
	size_t			 i;

	for (i = 0; i < ex->nmethods; i++) {
		if (method_matches(&ex->methods[i], cls, meth))
			return &ex->methods[i];
	}
	if (ex->nmethods >= m->limits.max_methods)
		return NULL;
	if (ex->nmethods == ex->methods_cap) {
		ex->methods_cap = ex->methods_cap == 0 ? 4 : ex->methods_cap * 2;
		ex->methods = xreallocarray(ex->methods, ex->methods_cap,
		    sizeof *ex->methods);
	}
	ms = &ex->methods[ex->nmethods++];
	memset(ms, 0, sizeof *ms);
	ms->name = *cls == '\0' ? xstrdup(meth) : xasprintf("%s.%s", cls, meth);
	return ms;
}

static void
replace_string(char **dst, const char *src)
{
	if (*dst != NULL && strcmp(*dst, src) == 0)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

static void
executor_add_method(struct model *m, struct executor *ex,
    const struct record_method *rm)
{
	struct method_stats	*ms;

	if ((ms = executor_method(m, ex, rm->class_name, rm->method_name)) == NULL) {
		ex->dropped_methods++;
		return;
	}
	ms->entries++;
	ms->calls += rm->call_count;
	if (!rm->success)
		ms->failures++;
	if (rm->error != NULL)
		replace_string(&ms->last_error, rm->error);
	if (!isnan(rm->exec_time_ms)) {
		ms->time_n++;
		ms->total_time_ms += rm->exec_time_ms;
		if (ms->time_n == 1 || rm->exec_time_ms > ms->max_time_ms)
			ms->max_time_ms = rm->exec_time_ms;
	}
	if (!isnan(rm->mem_delta_mb)) {
		ms->mem_n++;
		ms->mem_delta_sum += rm->mem_delta_mb;
	}
}

/* Counts one sighting of an unknown field; the table stays sorted by
 * count, a full table counts newcomers in unknown_other. */
static void
model_note_unknown(struct model *m, const char *name, bool in_method)
{
	struct unknown_field	 f, *u = NULL;
	size_t			 n;
	unsigned		 i;

	snprintf(f.name, sizeof f.name, "%s%s", in_method ?
	    "method_calls[]." : "", name);
	/* Cut at a character boundary, not inside a UTF-8 sequence. */
	if ((n = strlen(f.name)) == sizeof f.name - 1) {
		size_t		 lead = n - 1;
		unsigned char	 c;

		while (lead > 0 && ((unsigned char)f.name[lead] & 0xc0) == 0x80)
			lead--;
		c = (unsigned char)f.name[lead];
		if (lead + (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1) > n)
			f.name[lead] = '\0';
	}
	for (i = 0; i < m->nunknown; i++)
		if (strcmp(m->unknown[i].name, f.name) == 0) {
			u = &m->unknown[i];
			break;
		}
	if (u == NULL) {
		if (m->nunknown == MODEL_UNKNOWN_FIELDS) {
			m->unknown_other++;
			return;
		}
		u = &m->unknown[m->nunknown++];
		memcpy(u->name, f.name, sizeof u->name);
		u->count = 0;
	}
	u->count++;
	while (u > m->unknown && u[-1].count < u->count) {
		f = u[-1];
		u[-1] = *u;
		*u = f;
		u--;
	}
}

void
model_unknown_summary(const struct model *m, char *buf, size_t len)
{
	size_t		 used = 0;
	unsigned	 i;
	int		 n;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < m->nunknown && used < len; i++) {
		n = snprintf(buf + used, len - used, "%s%s %llu", i ? ", " : "",
		    m->unknown[i].name, (unsigned long long)m->unknown[i].count);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (m->unknown_other > 0 && used < len)
		snprintf(buf + used, len - used, ", others %llu",
		    (unsigned long long)m->unknown_other);
}

int
model_add_record(struct model *m, const struct record *r)
{
	struct executor	*ex;
	size_t		 i;
	int		 k;

	if ((ex = model_find(m, r->executor_id)) == NULL &&
	    (ex = model_add_executor(m, r->executor_id)) == NULL) {
		m->dropped_records++;
		m->generation++;
		return -1;
	}
	m->records++;
	ex->runs++;
	for (i = 0; i < r->nunknown; i++)
		model_note_unknown(m, r->unknown[i],
		    (r->unknown_in_method & (1u << i)) != 0);
	for (k = 0; k < METRIC_COUNT && isnan(r->v[k]); k++)
		;
	if (k == METRIC_COUNT && r->nmethods == 0)
		m->no_metric++;
	if (!r->success)
		ex->failures++;
	if (r->error != NULL)
		replace_string(&ex->last_error, r->error);
	if (!isnan(r->timestamp)) {
		if (isnan(ex->first_ts) || r->timestamp < ex->first_ts)
			ex->first_ts = r->timestamp;
		if (isnan(ex->last_ts) || r->timestamp > ex->last_ts)
			ex->last_ts = r->timestamp;
	}
	for (k = 0; k < METRIC_COUNT; k++) {
		if (isnan(r->v[k]))
			continue;
		stat_acc_add(&ex->m[k].all, r->v[k]);
		sketch_add(&ex->m[k].sketch, r->v[k]);
		window_push(&ex->m[k].recent, r->v[k]);
		ex->m[k].memo_all_ok = ex->m[k].memo_recent_ok = false;
		detect_update(&ex->m[k].det, &ex->m[k].ref, r->v[k],
		    r->timestamp);
	}
	if (!isnan(r->v[METRIC_EXEC_TIME])) {
		ex->spark[ex->spark_head] = r->v[METRIC_EXEC_TIME];
		ex->spark_head = (ex->spark_head + 1) % MODEL_SPARK_LEN;
		if (ex->spark_len < MODEL_SPARK_LEN)
			ex->spark_len++;
	}
	for (i = 0; i < r->nmethods; i++)
		executor_add_method(m, ex, &r->methods[i]);
	m->generation++;
	return 0;
}

void
model_reject(struct model *m, const char *source, uint64_t line,
    enum reject_reason why, const char *detail)
{
	struct rejection	*rj;

	m->invalid++;
	if ((unsigned)why < REJECT_COUNT)
		m->invalid_by[why]++;
	rj = &m->rejections[m->rej_head];
	m->rej_head = (m->rej_head + 1) % MODEL_REJECTIONS;
	if (m->rej_count < MODEL_REJECTIONS)
		m->rej_count++;
	snprintf(rj->source, sizeof rj->source, "%s", source != NULL ? source : "");
	rj->line = line;
	rj->reason = why;
	snprintf(rj->detail, sizeof rj->detail, "%s", detail != NULL ? detail : "");
	m->generation++;
}

const struct rejection *
model_rejection(const struct model *m, unsigned i)
{
	if (i >= m->rej_count)
		return NULL;
	return &m->rejections[(m->rej_head + MODEL_REJECTIONS - 1 - i) %
	    MODEL_REJECTIONS];
}

void
model_set_window(struct model *m, size_t window)
{
	size_t	i;
	int	k;

	if (window == m->limits.window)
		return;
	m->limits.window = window;
	for (i = 0; i < m->nexecs; i++) {
		for (k = 0; k < METRIC_COUNT; k++) {
			window_resize(&m->execs[i]->m[k].recent, window);
			m->execs[i]->m[k].memo_recent_ok = false;
		}
	}
	m->generation++;
}

void
executor_summary_all(const struct executor *ex, enum metric k,
    struct summary *s)
{
	const struct metric_stats *ms = &ex->m[k];
	struct metric_stats	*memo = (struct metric_stats *)ms;

	/* (the executor is never defined const: the memo may be written) */
	if (ms->memo_all_ok) {
		*s = ms->memo_all;
		return;
	}
	stat_summary_from_acc(s, &ms->all);
	s->p50 = sketch_quantile(&ms->sketch, 0.50);
	s->p95 = sketch_quantile(&ms->sketch, 0.95);
	s->p99 = sketch_quantile(&ms->sketch, 0.99);
	memo->memo_all = *s;
	memo->memo_all_ok = true;
}

void
executor_summary_recent(const struct executor *ex, const struct model *m,
    enum metric k, struct summary *s)
{
	const struct window	*w = &ex->m[k].recent;
	double			*copy;

	if (m->limits.window == 0 || w->cap == 0) {
		executor_summary_all(ex, k, s);
		return;
	}
	copy = xmalloc((w->len ? w->len : 1) * sizeof *copy);
	memcpy(copy, w->vals, w->len * sizeof *copy);	/* order is irrelevant */
	stat_summary_exact(s, copy, w->len);
	free(copy);
}

void
executor_moments_recent(const struct executor *ex, const struct model *m,
    enum metric k, struct summary *s)
{
	const struct window	*w = &ex->m[k].recent;
	struct metric_stats	*memo = (struct metric_stats *)&ex->m[k];
	struct stat_acc		 a;
	uint32_t		 i;

	if (m->limits.window == 0 || w->cap == 0) {
		stat_summary_from_acc(s, &ex->m[k].all);
		return;
	}
	if (memo->memo_recent_ok) {
		*s = memo->memo_recent;
		return;
	}
	stat_acc_init(&a);
	for (i = 0; i < w->len; i++)
		stat_acc_add(&a, w->vals[i]);
	stat_summary_from_acc(s, &a);
	memo->memo_recent = *s;
	memo->memo_recent_ok = true;
}

double
method_mean_time(const struct method_stats *ms)
{
	if (ms->time_n == 0 || ms->calls == 0)
		return NAN;
	return ms->total_time_ms / (double)ms->calls;
}

double
method_mean_mem(const struct method_stats *ms)
{
	if (ms->mem_n == 0)
		return NAN;
	return ms->mem_delta_sum / (double)ms->mem_n;
}

size_t
executor_spark(const struct executor *ex, double *out)
{
	uint32_t	start, k;

	start = (ex->spark_head + MODEL_SPARK_LEN - ex->spark_len) % MODEL_SPARK_LEN;
	for (k = 0; k < ex->spark_len; k++)
		out[k] = ex->spark[(start + k) % MODEL_SPARK_LEN];
	return ex->spark_len;
}
