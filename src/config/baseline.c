/*
 * baseline.c - the reference statistics regressions are measured against:
 * loading (exectop's YAML, or the profiler's JSON), building from the
 * model, and saving.
 *
 * Both inputs become a ydoc tree and are checked by the same walker: a
 * file starting with '{' is read with jansson (JSON escapes such as
 * surrogate pairs, no YAML size limit beyond BASELINE_MAX_BYTES), any
 * other through ydoc.  A root with a "version" key is exectop's format and
 * every key in it is checked; otherwise it is the profiler's map of
 * executor id to ExecutorMetrics, each one run (n = 1), where only the
 * metric fields are read.
 *
 * Saving writes double-quoted YAML strings with every character that
 * could be lost or mislead escaped, so any executor id comes back as it
 * went, and numbers in a form that reads back to the same double.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "atomicfile.h"
#include "baseline.h"
#include "metric.h"
#include "model.h"
#include "numfmt.h"
#include "stats.h"
#include "utf8.h"
#include "xmalloc.h"
#include "ydoc.h"
#include "ydoc_int.h"

/* Largest baseline file read: about 60,000 executors. */
#define BASELINE_MAX_BYTES	(64 * 1024 * 1024)

/* Quoted keys longer than this are written as explicit "? key" entries:
 * libyaml only looks 1024 characters ahead for the ':' of a plain key. */
#define BASELINE_MAX_SIMPLE_KEY	1000

enum baseline_field {
	BF_N, BF_MEAN, BF_VARIANCE, BF_STDDEV, BF_MIN, BF_MAX, BF_P50, BF_P95,
	BF_COUNT
};

static const char *baseline_field_names[BF_COUNT] = {
	"n", "mean", "variance", "stddev", "min", "max", "p50", "p95"
};

struct baseline_ctx {
	const char	*file;
	char		**cause;
};

/* ------------------------------------------------------------------------
 * Loading.
 */

static int __attribute__((format(printf, 4, 5)))
baseline_error(struct baseline_ctx *ctx, int line, const char *key,
    const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = ydoc_vfail(ctx->cause, ctx->file, line, key, fmt, ap);
	va_end(ap);
	return rc;
}

/* Switches this thread to the C locale for numbers; returns the old one
 * for baseline_restore_locale(). */
static locale_t
baseline_c_locale(locale_t *c)
{
	if ((*c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) == (locale_t)0)
		fatal("cannot create the C locale");
	return uselocale(*c);
}

static void
baseline_restore_locale(locale_t old, locale_t c)
{
	uselocale(old);
	freelocale(c);
}

/* A ydoc tree from a JSON value (no line numbers: JSON has none here). */
static struct ynode *
baseline_json_node(json_t *j)
{
	struct ynode	*node = xcalloc(1, sizeof *node);
	const char	*key;
	json_t		*v;
	size_t		 i, n;
	char		 num[64];

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		node->type = YNODE_MAP;
		n = json_object_size(j);
		node->keys = xcalloc(n, sizeof *node->keys);
		node->key_lines = xcalloc(n, sizeof *node->key_lines);
		node->items = xcalloc(n, sizeof *node->items);
		json_object_foreach(j, key, v) {
			node->keys[node->n] = xstrdup(key);
			node->items[node->n++] = baseline_json_node(v);
		}
		break;
	case JSON_ARRAY:
		node->type = YNODE_SEQ;
		n = json_array_size(j);
		node->items = xcalloc(n, sizeof *node->items);
		json_array_foreach(j, i, v)
			node->items[node->n++] = baseline_json_node(v);
		break;
	case JSON_STRING:
		node->type = YNODE_SCALAR;
		node->scalar = xstrdup(json_string_value(j));
		break;
	case JSON_INTEGER:
		node->type = YNODE_SCALAR;
		node->plain = true;
		node->scalar = xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(j));
		break;
	case JSON_REAL:
		node->type = YNODE_SCALAR;
		node->plain = true;
		numfmt_double(num, sizeof num, json_real_value(j));
		node->scalar = xstrdup(num);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		node->type = YNODE_SCALAR;
		node->plain = true;
		node->scalar = xstrdup(json_is_true(j) ? "true" : "false");
		break;
	case JSON_NULL:
		node->type = YNODE_SCALAR;
		node->plain = true;
		node->scalar = xstrdup("");
		break;
	}
	return node;
}

/* True when the text after '{' looks like JSON rather than flow YAML. */
static bool
baseline_looks_json(const char *buf, size_t len, size_t *first)
{
	size_t	i = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", buf[i]) != NULL)
		i++;
	*first = i;
	if (i >= len || buf[i] != '{')
		return false;
	for (i++; i < len && strchr(" \t\r\n", buf[i]) != NULL; i++)
		/* nothing */;
	return i < len && (buf[i] == '"' || buf[i] == '}');
}

/* A record stream given as a baseline by mistake (-b run.jsonl): its
 * first line is an object whose executor_id is a string. */
static bool
baseline_looks_records(const char *buf, size_t len)
{
	const char	*nl = memchr(buf, '\n', len);
	json_t		*j, *id;
	bool		 yes;

	j = json_loadb(buf, nl != NULL ? (size_t)(nl - buf) : len, 0, NULL);
	id = json_is_object(j) ? json_object_get(j, "executor_id") : NULL;
	yes = json_is_string(id);
	json_decref(j);
	return yes;
}

/* Parses the file text into a tree (JSON or YAML). */
static int
baseline_parse(const char *path, const char *buf, size_t len,
    struct ynode **root, char **cause)
{
	json_error_t	 jerr;
	json_t		*j;
	locale_t	 c, old;
	size_t		 first;

	*root = NULL;
	if (!baseline_looks_json(buf, len, &first))
		return ydoc_load_buf_max(path, buf, len, BASELINE_MAX_BYTES,
		    root, cause);
	if (baseline_looks_records(buf + first, len - first)) {
		*cause = xasprintf("%s: looks like a record stream (JSON "
		    "lines with executor_id), not a baseline; make one with "
		    "'exectop baseline -o FILE %s'", path, path);
		return -1;
	}
	j = json_loadb(buf + first, len - first, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_INT_AS_REAL, &jerr);
	if (j == NULL) {
		/* jansson's text quotes input bytes: clean them. */
		char	*text = ydoc_clean(jerr.text);

		*cause = xasprintf("%s:%d: %s", path, jerr.line > 0 ?
		    jerr.line : 1, text);
		free(text);
		return -1;
	}
	old = baseline_c_locale(&c);
	*root = baseline_json_node(j);
	baseline_restore_locale(old, c);
	json_decref(j);
	return 0;
}

/* A number that may be null (NAN). */
static int
baseline_number(struct baseline_ctx *ctx, const struct ynode *node,
    const char *key, bool nullable, double *out)
{
	if (nullable && node->type == YNODE_SCALAR && node->plain &&
	    (*node->scalar == '\0' || strcmp(node->scalar, "null") == 0 ||
	    strcmp(node->scalar, "~") == 0)) {
		*out = NAN;
		return 0;
	}
	return ynode_double(node, ctx->file, key, out, ctx->cause);
}

/* One "metric: {n: .., mean: .., ...}" of exectop's format. */
static int
baseline_metric_stats(struct baseline_ctx *ctx, const struct ynode *map,
    const char *mkey, struct baseline_metric *bm)
{
	const struct ynode	*f[BF_COUNT] = { NULL };
	double			 v[BF_COUNT];
	char			*key;
	size_t			 i;
	int			 k, rc = -1;

	if (map->type != YNODE_MAP) {
		return baseline_error(ctx, map->line, mkey, "expected a "
		    "mapping of n, mean, variance, min, max, p50, p95");
	}
	for (i = 0; i < map->n; i++) {
		for (k = 0; k < BF_COUNT; k++) {
			if (strcmp(map->keys[i], baseline_field_names[k]) == 0)
				break;
		}
		key = xasprintf("%s.%s", mkey, map->keys[i]);
		if (k == BF_COUNT) {
			baseline_error(ctx, map->key_lines[i], key,
			    "unknown key (expected n, mean, variance or "
			    "stddev, min, max, p50, p95)");
			free(key);
			return -1;
		}
		f[k] = map->items[i];
		free(key);
	}
	for (k = 0; k < BF_COUNT; k++) {
		if (f[k] == NULL && k != BF_VARIANCE && k != BF_STDDEV) {
			return baseline_error(ctx, map->line, mkey,
			    "missing '%s'", baseline_field_names[k]);
		}
	}
	if (f[BF_VARIANCE] == NULL && f[BF_STDDEV] == NULL) {
		return baseline_error(ctx, map->line, mkey,
		    "missing 'variance' (or 'stddev')");
	}
	if (f[BF_VARIANCE] != NULL && f[BF_STDDEV] != NULL) {
		return baseline_error(ctx, f[BF_STDDEV]->line, mkey,
		    "give 'variance' or 'stddev', not both");
	}

	key = xasprintf("%s.n", mkey);
	if (ynode_uint(f[BF_N], ctx->file, key, &bm->n, ctx->cause) != 0)
		goto out;
	if (bm->n == 0) {
		baseline_error(ctx, f[BF_N]->line, key, "must be at least 1");
		goto out;
	}
	for (k = BF_MEAN; k < BF_COUNT; k++) {
		if (f[k] == NULL) {
			v[k] = NAN;
			continue;
		}
		free(key);
		key = xasprintf("%s.%s", mkey, baseline_field_names[k]);
		if (baseline_number(ctx, f[k], key, k != BF_MEAN, &v[k]) != 0)
			goto out;
		if ((k == BF_VARIANCE || k == BF_STDDEV) && v[k] < 0) {
			baseline_error(ctx, f[k]->line, key,
			    "must not be negative");
			goto out;
		}
	}
	bm->present = true;
	bm->mean = v[BF_MEAN];
	bm->variance = f[BF_VARIANCE] != NULL ? v[BF_VARIANCE] :
	    v[BF_STDDEV] * v[BF_STDDEV];
	bm->min = v[BF_MIN];
	bm->max = v[BF_MAX];
	bm->p50 = v[BF_P50];
	bm->p95 = v[BF_P95];
	rc = 0;
out:
	free(key);
	return rc;
}

static void
baseline_entry_init(struct baseline_entry *e, const char *id)
{
	int	k;

	memset(e, 0, sizeof *e);
	e->executor_id = xstrdup(id);
	for (k = 0; k < METRIC_COUNT; k++) {
		e->m[k].mean = e->m[k].variance = NAN;
		e->m[k].min = e->m[k].max = NAN;
		e->m[k].p50 = e->m[k].p95 = NAN;
	}
}

/* "executors:" of exectop's format. */
static int
baseline_executors(struct baseline_ctx *ctx, struct baseline *b,
    const struct ynode *map)
{
	const struct ynode	*em;
	struct baseline_entry	*e;
	char			*key;
	size_t			 i, j;
	int			 m;

	if (map->type != YNODE_MAP) {
		return baseline_error(ctx, map->line, "executors",
		    "expected a mapping of executor ids");
	}
	b->entries = xcalloc(map->n, sizeof *b->entries);
	for (i = 0; i < map->n; i++) {
		e = &b->entries[b->n++];
		baseline_entry_init(e, map->keys[i]);
		em = map->items[i];
		key = xasprintf("executors.%s", map->keys[i]);
		if (em->type != YNODE_MAP) {
			baseline_error(ctx, em->line, key,
			    "expected a mapping of metrics");
			free(key);
			return -1;
		}
		free(key);
		for (j = 0; j < em->n; j++) {
			key = xasprintf("executors.%s.%s", map->keys[i],
			    em->keys[j]);
			if ((m = metric_from_name(em->keys[j])) < 0) {
				baseline_error(ctx, em->key_lines[j], key,
				    "unknown metric");
				free(key);
				return -1;
			}
			if (baseline_metric_stats(ctx, em->items[j], key,
			    &e->m[m]) != 0) {
				free(key);
				return -1;
			}
			free(key);
		}
	}
	return 0;
}

/* exectop's own format (the root has "version"). */
static int
baseline_walk_exectop(struct baseline_ctx *ctx, struct baseline *b,
    const struct ynode *root)
{
	const struct ynode	*v, *executors = NULL;
	const char		*s;
	uint64_t		 version;
	size_t			 i;

	v = ynode_get(root, "version");
	if (ynode_uint(v, ctx->file, "version", &version, ctx->cause) != 0)
		return -1;
	if (version != BASELINE_VERSION) {
		return baseline_error(ctx, v->line, "version",
		    "unsupported baseline version %ju (this exectop reads "
		    "version %d)", (uintmax_t)version, BASELINE_VERSION);
	}
	b->version = BASELINE_VERSION;

	for (i = 0; i < root->n; i++) {
		v = root->items[i];
		if (strcmp(root->keys[i], "version") == 0)
			continue;
		if (strcmp(root->keys[i], "created") == 0 ||
		    strcmp(root->keys[i], "source") == 0) {
			if (ynode_string(v, ctx->file, root->keys[i], &s,
			    ctx->cause) != 0)
				return -1;
			if (*root->keys[i] == 'c') {
				free(b->created);
				b->created = xstrdup(s);
			} else {
				free(b->source);
				b->source = xstrdup(s);
			}
		} else if (strcmp(root->keys[i], "executors") == 0)
			executors = v;
		else {
			return baseline_error(ctx, root->key_lines[i],
			    root->keys[i], "unknown key (expected version, "
			    "created, source, executors)");
		}
	}
	if (executors == NULL) {
		return baseline_error(ctx, root->line, NULL,
		    "missing key 'executors'");
	}
	return baseline_executors(ctx, b, executors);
}

/* The profiler's {executor_id: ExecutorMetrics}: one run each. */
static int
baseline_walk_profiler(struct baseline_ctx *ctx, struct baseline *b,
    const struct ynode *root)
{
	const struct ynode	*em, *f;
	struct baseline_entry	*e;
	struct baseline_metric	*bm;
	char			*key;
	size_t			 i, j;
	double			 v;
	int			 m, nmetrics;

	b->version = BASELINE_VERSION;
	b->entries = xcalloc(root->n, sizeof *b->entries);
	for (i = 0; i < root->n; i++) {
		e = &b->entries[b->n++];
		baseline_entry_init(e, root->keys[i]);
		em = root->items[i];
		if (em->type != YNODE_MAP) {
			return baseline_error(ctx, em->line, root->keys[i],
			    "expected the executor's metrics (a mapping); a "
			    "baseline written by exectop starts with "
			    "'version: %d'", BASELINE_VERSION);
		}
		nmetrics = 0;
		for (j = 0; j < em->n; j++) {
			if ((m = metric_from_name(em->keys[j])) < 0)
				continue;	/* other ExecutorMetrics */
			nmetrics++;
			f = em->items[j];
			if (f->type == YNODE_SCALAR && f->plain &&
			    (*f->scalar == '\0' ||
			    strcmp(f->scalar, "null") == 0))
				continue;	/* not measured */
			key = xasprintf("%s.%s", root->keys[i], em->keys[j]);
			if (ynode_double(f, ctx->file, key, &v,
			    ctx->cause) != 0) {
				free(key);
				return -1;
			}
			free(key);
			bm = &e->m[m];
			bm->present = true;
			bm->n = 1;
			bm->mean = bm->min = bm->max = v;
			bm->p50 = bm->p95 = v;
			bm->variance = NAN;
		}
		if (nmetrics == 0) {
			return baseline_error(ctx, em->line, root->keys[i],
			    "no metrics (expected execution_time_ms, "
			    "memory_footprint_mb, memory_peak_mb, "
			    "serialization_time_ms, serialization_size_bytes)");
		}
	}
	return 0;
}

static int
baseline_entry_cmp(const void *a, const void *b)
{
	const struct baseline_entry	*x = a, *y = b;

	return strcmp(x->executor_id, y->executor_id);
}

static int
baseline_entry_ptr_cmp(const void *a, const void *b)
{
	const struct baseline_entry	*const *x = a, *const *y = b;

	return strcmp((*x)->executor_id, (*y)->executor_id);
}

static struct baseline *
baseline_new(void)
{
	struct baseline	*b = xcalloc(1, sizeof *b);

	b->version = BASELINE_VERSION;
	return b;
}

/* Never NULL strings for readers of a loaded baseline. */
static void
baseline_finish(struct baseline *b)
{
	if (b->source == NULL)
		b->source = xstrdup("");
	if (b->created == NULL)
		b->created = xstrdup("");
	if (b->n > 1)
		qsort(b->entries, b->n, sizeof *b->entries, baseline_entry_cmp);
}

int
baseline_load(struct baseline **out, const char *path, char **cause)
{
	struct baseline_ctx	 ctx = { path, cause };
	struct baseline		*b;
	struct ynode		*root;
	char			*buf;
	size_t			 len;
	int			 rc;

	*out = NULL;
	if (ydoc_read_file(path, BASELINE_MAX_BYTES, &buf, &len, cause) != 0)
		return -1;
	rc = baseline_parse(path, buf, len, &root, cause);
	free(buf);
	if (rc != 0)
		return -1;
	if (root == NULL) {
		*cause = xasprintf("%s: the baseline file is empty", path);
		return -1;
	}
	if (root->type != YNODE_MAP) {
		baseline_error(&ctx, root->line, NULL,
		    "a baseline must be a mapping");
		ynode_free(root);
		return -1;
	}

	b = baseline_new();
	if (ynode_get(root, "version") != NULL)
		rc = baseline_walk_exectop(&ctx, b, root);
	else
		rc = baseline_walk_profiler(&ctx, b, root);
	ynode_free(root);
	if (rc != 0) {
		baseline_free(b);
		return -1;
	}
	b->path = xstrdup(path);
	baseline_finish(b);
	*out = b;
	return 0;
}

/* ------------------------------------------------------------------------
 * Building and finding.
 */

static char *
baseline_now(void)
{
	struct tm	 tm;
	time_t		 now = time(NULL);
	char		 buf[32];

	gmtime_r(&now, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

struct baseline *
baseline_from_model(const struct model *model, const char *source)
{
	struct baseline		*b = baseline_new();
	struct baseline_entry	*e;
	const struct executor	*ex;
	struct summary		 s;
	size_t			 i;
	int			 k;

	b->source = xstrdup(source != NULL ? source : "");
	b->created = baseline_now();
	b->entries = xcalloc(model->nexecs, sizeof *b->entries);
	for (i = 0; i < model->nexecs; i++) {
		ex = model->execs[i];
		e = &b->entries[b->n++];
		baseline_entry_init(e, ex->id);
		for (k = 0; k < METRIC_COUNT; k++) {
			executor_summary_all(ex, k, &s);
			if (s.n == 0)
				continue;
			e->m[k].present = true;
			e->m[k].n = s.n;
			e->m[k].mean = s.mean;
			e->m[k].variance = s.variance;
			e->m[k].min = s.min;
			e->m[k].max = s.max;
			e->m[k].p50 = s.p50;
			e->m[k].p95 = s.p95;
		}
	}
	baseline_finish(b);
	return b;
}

const struct baseline_entry *
baseline_find(const struct baseline *b, const char *executor_id)
{
	struct baseline_entry	key;

	if (b == NULL || b->n == 0)
		return NULL;
	key.executor_id = (char *)executor_id;
	return bsearch(&key, b->entries, b->n, sizeof *b->entries,
	    baseline_entry_cmp);
}

size_t
baseline_missing(const struct baseline *b, const struct model *m,
    const char ***ids)
{
	size_t	i, n = 0;

	*ids = NULL;
	if (b == NULL || b->n == 0)
		return 0;
	*ids = xcalloc(b->n, sizeof **ids);
	for (i = 0; i < b->n; i++) {
		if (model_find(m, b->entries[i].executor_id) == NULL)
			(*ids)[n++] = b->entries[i].executor_id;
	}
	if (n == 0) {
		free(*ids);
		*ids = NULL;
	}
	return n;
}

void
baseline_free(struct baseline *b)
{
	size_t	i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		free(b->entries[i].executor_id);
	free(b->entries);
	free(b->path);
	free(b->source);
	free(b->created);
	free(b);
}

/* ------------------------------------------------------------------------
 * Saving.
 */

/*
 * A YAML double-quoted string.  Escaped: quote and backslash, C0 and C1
 * controls and DEL (named escapes where YAML has them), line and
 * paragraph separators, bidi controls, BOM and the non-characters
 * U+FFFE/U+FFFF.  Invalid UTF-8 cannot be YAML; such a byte is written as
 * the code point of the same value.
 */
static char *
baseline_quote(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	char			*out;
	size_t			 n = 0, cap, step;
	uint32_t		 cp;
	const char		*named;
	char			 esc[16];

	cap = strlen(str) * 4 + 3;	/* worst case: 1 byte -> "\xNN" */
	out = xmalloc(cap + 16);
	out[n++] = '"';
	while (*s != '\0') {
		step = utf8_decode(s, SIZE_MAX, &cp);
		if (step == 0) {
			cp = *s;
			step = 1;
		}
		named = NULL;
		esc[0] = '\0';
		switch (cp) {
		case '"':	named = "\\\""; break;
		case '\\':	named = "\\\\"; break;
		case 0x07:	named = "\\a"; break;
		case 0x08:	named = "\\b"; break;
		case 0x09:	named = "\\t"; break;
		case 0x0a:	named = "\\n"; break;
		case 0x0b:	named = "\\v"; break;
		case 0x0c:	named = "\\f"; break;
		case 0x0d:	named = "\\r"; break;
		case 0x1b:	named = "\\e"; break;
		case 0x2028:	named = "\\L"; break;
		case 0x2029:	named = "\\P"; break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
			    (step == 1 && cp >= 0x80))
				snprintf(esc, sizeof esc, "\\x%02x",
				    (unsigned)cp);
			else if ((cp >= 0x202a && cp <= 0x202e) ||
			    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff ||
			    cp == 0xfffe || cp == 0xffff)
				snprintf(esc, sizeof esc, "\\u%04x",
				    (unsigned)cp);
			break;
		}
		if (named == NULL && esc[0] != '\0')
			named = esc;
		if (named != NULL) {
			memcpy(out + n, named, strlen(named));
			n += strlen(named);
		} else {
			memcpy(out + n, s, step);
			n += step;
		}
		s += step;
	}
	out[n++] = '"';
	out[n] = '\0';
	return out;
}

static void
baseline_put_number(FILE *fp, const char *name, double v, bool first)
{
	char	buf[64];

	if (isfinite(v))
		numfmt_double(buf, sizeof buf, v);
	else
		strcpy(buf, "null");
	fprintf(fp, "%s%s: %s", first ? "" : ", ", name, buf);
}

static void
baseline_put_entry(FILE *fp, const struct baseline_entry *e)
{
	const struct baseline_metric	*bm;
	char				*id = baseline_quote(e->executor_id);
	bool				 any = false;
	int				 k;

	for (k = 0; k < METRIC_COUNT; k++)
		any = any || e->m[k].present;
	if (strlen(id) > BASELINE_MAX_SIMPLE_KEY)
		fprintf(fp, "  ? %s\n  :%s\n", id, any ? "" : " {}");
	else
		fprintf(fp, "  %s:%s\n", id, any ? "" : " {}");
	free(id);

	for (k = 0; k < METRIC_COUNT; k++) {
		bm = &e->m[k];
		if (!bm->present)
			continue;
		fprintf(fp, "    %s: {n: %ju", metric_name(k),
		    (uintmax_t)(bm->n > 0 ? bm->n : 1));
		baseline_put_number(fp, "mean", bm->mean, false);
		baseline_put_number(fp, "variance", bm->variance, false);
		baseline_put_number(fp, "min", bm->min, false);
		baseline_put_number(fp, "max", bm->max, false);
		baseline_put_number(fp, "p50", bm->p50, false);
		baseline_put_number(fp, "p95", bm->p95, false);
		fputs("}\n", fp);
	}
}

int
baseline_write(const struct baseline *b, FILE *fp)
{
	const struct baseline_entry	**order;
	locale_t			  c, old;
	char				 *s, *created;
	size_t				  i;

	old = baseline_c_locale(&c);
	fputs("# exectop baseline: the reference statistics regressions are "
	    "measured against.\n# Written by exectop; numbers read back "
	    "exactly, variance null means unknown.\n", fp);
	fprintf(fp, "version: %d\n", BASELINE_VERSION);
	created = b->created != NULL && *b->created != '\0' ?
	    xstrdup(b->created) : baseline_now();
	s = baseline_quote(created);
	fprintf(fp, "created: %s\n", s);
	free(s);
	free(created);
	if (b->source != NULL && *b->source != '\0') {
		s = baseline_quote(b->source);
		fprintf(fp, "source: %s\n", s);
		free(s);
	}
	if (b->n == 0)
		fputs("executors: {}\n", fp);
	else {
		/* In id order even if the caller's entries are not. */
		order = xreallocarray(NULL, b->n, sizeof *order);
		for (i = 0; i < b->n; i++)
			order[i] = &b->entries[i];
		qsort(order, b->n, sizeof *order, baseline_entry_ptr_cmp);
		fputs("executors:\n", fp);
		for (i = 0; i < b->n; i++)
			baseline_put_entry(fp, order[i]);
		free(order);
	}
	baseline_restore_locale(old, c);
	return ferror(fp) ? -1 : 0;
}

int
baseline_save(const struct baseline *b, const char *path, char **cause)
{
	struct atomic_file	 af;
	FILE			*fp;

	if ((fp = atomic_open(&af, path, cause)) == NULL)
		return -1;
	errno = 0;
	if (baseline_write(b, fp) != 0) {
		*cause = xasprintf("cannot write %s: %s", path,
		    strerror(errno != 0 ? errno : EIO));
		atomic_abort(&af);
		return -1;
	}
	return atomic_commit(&af, cause);
}
