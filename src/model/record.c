/*
 * record.c - parse and validate one JSON line into a struct record.
 *
 * record_parse() runs yajl's streaming (SAX) parser over the line's exact
 * bytes and fills the record from its callbacks: no tree is built, the
 * strings kept are copied into the record's own buffer.  What yajl does
 * not check itself is checked here so a line means what it meant to
 * jansson (README, "What it reads"): strict UTF-8 (no overlong forms,
 * surrogates or code points past U+10FFFF, in keys and values), surrogate
 * escapes paired, no NUL in keys, no \v or \f as white space, integers
 * and reals that overflow, nesting past 2048, and duplicate known keys.
 * Semantic rejections are ranked in the order the jansson reader checks
 * fields, and only reported once the whole line has parsed, so the reason
 * never depends on the order of the fields.
 *
 * record_parse_jansson() is the former reader, kept as the reference for
 * the differential test and fuzz target: jansson parses the line
 * (json_loadb) with JSON_REJECT_DUPLICATES and without
 * JSON_DISABLE_EOF_CHECK, so a second value after the object is an error.
 * JSON_ALLOW_NUL lets it tell a NUL inside a string (a bad field) from a
 * malformed line.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <yajl/yajl_parse.h>

#include "metric.h"
#include "record.h"
#include "utf8.h"
#include "xmalloc.h"

#define RECORD_MAX_COUNT ((json_int_t)1 << 53)

static const char *reject_names[REJECT_COUNT] = {
	[REJECT_INVALID_JSON] = "invalid_json",
	[REJECT_NOT_OBJECT] = "not_object",
	[REJECT_MISSING_ID] = "missing_executor_id",
	[REJECT_INVALID_ID] = "invalid_executor_id",
	[REJECT_WRONG_TYPE] = "wrong_type",
	[REJECT_OUT_OF_RANGE] = "out_of_range",
	[REJECT_LINE_TOO_LONG] = "line_too_long",
	[REJECT_NO_RECORD_FIELD] = "no_record_field",
};

/* Whether a metric may be negative (memory footprint is a delta). */
static const int metric_signed[METRIC_COUNT] = {
	[METRIC_MEM_FOOTPRINT] = 1,
};

const char *
record_reject_name(enum reject_reason r)
{
	if ((unsigned)r >= REJECT_COUNT)
		return "unknown";
	return reject_names[r];
}

void
record_init(struct record *r)
{
	memset(r, 0, sizeof *r);
}

void
record_clear(struct record *r)
{
	if (r->json != NULL)
		json_decref(r->json);
	r->json = NULL;
	r->strused = 0;
	r->executor_id = NULL;
	r->error = NULL;
	r->nmethods = 0;
	r->nunknown = 0;
	r->unknown_in_method = 0;
}

static void	record_keyset_free(struct record_keyset *);

void
record_free(struct record *r)
{
	record_clear(r);
	free(r->methods);
	r->methods = NULL;
	r->methods_cap = 0;
	free(r->strbuf);
	r->strbuf = NULL;
	r->strcap = 0;
	record_keyset_free(r->keyset);
	r->keyset = NULL;
}

/* Copies msg into detail, replacing anything not printable ASCII. */
static void
record_detail(char *detail, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	if (len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, len, fmt, ap);
	va_end(ap);
	for (p = detail; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	}
}

/* A string field: NULL (absent or null) or a string with no NUL.
 * Returns -1 for another type or an embedded NUL. */
static int
record_string(json_t *v, const char **out)
{
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	if (strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

double
record_parse_iso8601(const char *s)
{
	struct tm	 tm;
	const char	*p;
	double		 frac = 0, off = 0;
	time_t		 t;

	memset(&tm, 0, sizeof tm);
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (p == NULL)
		return NAN;
	if (*p == '.') {
		/* By hand, not strtod: the decimal point must not depend on
		 * LC_NUMERIC (the TUI sets the user's locale). */
		uint64_t	n = 0, scale = 1;

		if (!isdigit((unsigned char)p[1]))
			return NAN;
		for (p++; isdigit((unsigned char)*p); p++) {
			if (scale < 100000000000000000ULL) {	/* 1e17 */
				n = n * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
		}
		frac = (double)n / (double)scale;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
		int	hh, mm = 0, sign = *p == '-' ? -1 : 1, n = 0;

		if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) == 2 ||
		    sscanf(p + 1, "%2d%2d%n", &hh, &mm, &n) == 2 ||
		    sscanf(p + 1, "%2d%n", &hh, &n) == 1)
			off = sign * (hh * 3600.0 + mm * 60.0);
		else
			return NAN;
		p += 1 + n;
	}
	if (*p != '\0')
		return NAN;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return NAN;
	return (double)t + frac - off;
}

/* Reads a number field.  Absent or null: NAN and 0.  Wrong type: -1. */
static int
record_number(json_t *v, double *out)
{
	*out = NAN;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

static struct record_method *
record_method_slot(struct record *r)
{
	if (r->nmethods == r->methods_cap) {
		r->methods_cap = r->methods_cap == 0 ? 8 : r->methods_cap * 2;
		r->methods = xreallocarray(r->methods, r->methods_cap,
		    sizeof *r->methods);
	}
	return &r->methods[r->nmethods++];
}

static int
record_parse_method(struct record *r, json_t *o, size_t i,
    enum reject_reason *why, char *detail, size_t dlen)
{
	struct record_method	*m;
	json_t			*v;

	if (!json_is_object(o)) {
		*why = REJECT_WRONG_TYPE;
		record_detail(detail, dlen, "method_calls[%zu] is not an object", i);
		return -1;
	}
	m = record_method_slot(r);
	if (record_string(json_object_get(o, "class_name"), &m->class_name) == -1) {
		*why = REJECT_WRONG_TYPE;
		record_detail(detail, dlen, "method_calls[%zu].class_name is not a string", i);
		return -1;
	}
	if (m->class_name == NULL)
		m->class_name = "";
	if (record_string(json_object_get(o, "method_name"), &m->method_name) == -1 ||
	    m->method_name == NULL || *m->method_name == '\0') {
		*why = REJECT_WRONG_TYPE;
		record_detail(detail, dlen,
		    "method_calls[%zu].method_name is missing or not a string", i);
		return -1;
	}
	if (record_number(json_object_get(o, "execution_time_ms"), &m->exec_time_ms) == -1 ||
	    record_number(json_object_get(o, "memory_delta_mb"), &m->mem_delta_mb) == -1) {
		*why = REJECT_WRONG_TYPE;
		record_detail(detail, dlen, "method_calls[%zu] has a non-numeric "
		    "execution_time_ms or memory_delta_mb", i);
		return -1;
	}
	if (m->exec_time_ms < 0) {
		*why = REJECT_OUT_OF_RANGE;
		record_detail(detail, dlen,
		    "method_calls[%zu].execution_time_ms is negative", i);
		return -1;
	}
	m->call_count = 1;
	v = json_object_get(o, "call_count");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v)) {
			*why = REJECT_WRONG_TYPE;
			record_detail(detail, dlen,
			    "method_calls[%zu].call_count is not an integer", i);
			return -1;
		}
		if (json_integer_value(v) < 0 ||
		    json_integer_value(v) > RECORD_MAX_COUNT) {
			*why = REJECT_OUT_OF_RANGE;
			record_detail(detail, dlen,
			    "method_calls[%zu].call_count is out of range", i);
			return -1;
		}
		m->call_count = (uint64_t)json_integer_value(v);
	}
	m->success = true;
	v = json_object_get(o, "success");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v)) {
			*why = REJECT_WRONG_TYPE;
			record_detail(detail, dlen,
			    "method_calls[%zu].success is not a boolean", i);
			return -1;
		}
		m->success = json_is_true(v);
	}
	if (record_string(json_object_get(o, "error"), &m->error) == -1) {
		*why = REJECT_WRONG_TYPE;
		record_detail(detail, dlen,
		    "method_calls[%zu].error is not a string or null", i);
		return -1;
	}
	return 0;
}

int
record_parse_jansson(struct record *r, const char *buf, size_t len,
    enum reject_reason *why, char *detail, size_t dlen)
{
	json_error_t	 err;
	json_t		*root, *v;
	const char	*s;
	size_t		 i;
	int		 k;

	record_clear(r);
	if (dlen > 0)
		detail[0] = '\0';
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, &err);
	if (root == NULL) {
		*why = REJECT_INVALID_JSON;
		record_detail(detail, dlen, "column %d: %s", err.column, err.text);
		return -1;
	}
	r->json = root;
	if (!json_is_object(root)) {
		*why = REJECT_NOT_OBJECT;
		record_detail(detail, dlen, "the line is a JSON %s, not an object",
		    json_is_array(root) ? "array" : json_is_string(root) ? "string" :
		    json_is_number(root) ? "number" : "literal");
		return -1;
	}

	v = json_object_get(root, "executor_id");
	if (v == NULL) {
		*why = REJECT_MISSING_ID;
		record_detail(detail, dlen, "no executor_id");
		return -1;
	}
	if (!json_is_string(v)) {
		*why = REJECT_INVALID_ID;
		record_detail(detail, dlen, "executor_id is not a string");
		return -1;
	}
	s = json_string_value(v);
	if (json_string_length(v) == 0 || strlen(s) != json_string_length(v) ||
	    json_string_length(v) > RECORD_MAX_ID_BYTES) {
		*why = REJECT_INVALID_ID;
		record_detail(detail, dlen, "executor_id is %s",
		    json_string_length(v) == 0 ? "empty" :
		    strlen(s) != json_string_length(v) ? "holding a NUL" :
		    "longer than 256 bytes");
		return -1;
	}
	r->executor_id = s;

	for (k = 0; k < METRIC_COUNT; k++) {
		if (record_number(json_object_get(root, metric_name(k)), &r->v[k]) == -1) {
			*why = REJECT_WRONG_TYPE;
			record_detail(detail, dlen, "%s is not a number", metric_name(k));
			return -1;
		}
		if (!metric_signed[k] && r->v[k] < 0) {
			*why = REJECT_OUT_OF_RANGE;
			record_detail(detail, dlen, "%s is negative", metric_name(k));
			return -1;
		}
	}

	r->success = true;
	v = json_object_get(root, "success");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v)) {
			*why = REJECT_WRONG_TYPE;
			record_detail(detail, dlen, "success is not a boolean");
			return -1;
		}
		r->success = json_is_true(v);
	}
	if (record_string(json_object_get(root, "error"), &r->error) == -1) {
		*why = REJECT_WRONG_TYPE;
		record_detail(detail, dlen, "error is not a string or null");
		return -1;
	}

	r->timestamp = NAN;
	v = json_object_get(root, "timestamp");
	if (v != NULL && !json_is_null(v)) {
		if (json_is_number(v))
			r->timestamp = json_number_value(v);
		else if (json_is_string(v))
			r->timestamp = record_parse_iso8601(json_string_value(v));
		if (isnan(r->timestamp)) {
			*why = REJECT_WRONG_TYPE;
			record_detail(detail, dlen,
			    "timestamp is neither epoch seconds nor ISO-8601");
			return -1;
		}
	}

	v = json_object_get(root, "method_calls");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v)) {
			*why = REJECT_WRONG_TYPE;
			record_detail(detail, dlen, "method_calls is not an array");
			return -1;
		}
		for (i = 0; i < json_array_size(v); i++) {
			if (record_parse_method(r, json_array_get(v, i), i, why,
			    detail, dlen) == -1)
				return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The streaming reader (yajl).                                        */

#define RP_MAX_DEPTH	2048	/* jansson's JSON_PARSER_MAX_DEPTH */

/* Known fields of the record (bits of rp.seen). */
enum rp_field {
	RF_UNKNOWN = -1,
	RF_ID = 0,
	RF_METRIC,		/* RF_METRIC + k for metric k */
	RF_SUCCESS = RF_METRIC + METRIC_COUNT,
	RF_ERROR,
	RF_TIMESTAMP,
	RF_METHODS
};

/* Known fields of a method call (bits of rp.mseen). */
enum rp_mfield {
	MF_UNKNOWN = -1,
	MF_CLASS,
	MF_NAME,
	MF_TIME,
	MF_MEM,
	MF_COUNT,
	MF_SUCCESS,
	MF_ERROR
};

/*
 * Ranks of the semantic rejections: the order in which the jansson reader
 * checks them, so the lowest rank seen is the reason it would give.
 */
#define RANK_NONE	UINT64_MAX
#define RANK_NOT_OBJECT	1
#define RANK_ID		2
#define RANK_FIELD(f)	(10 + (uint64_t)(f))
#define RANK_METHOD(i, k) (100 + (uint64_t)(i) * 16 + (k))

enum rp_type { RT_NULL, RT_BOOL, RT_NUMBER, RT_STRING, RT_MAP, RT_ARRAY };

struct rp_value {
	enum rp_type	 type;
	bool		 b;
	bool		 is_int;
	long long	 i;
	double		 d;
	const char	*s;	/* decoded, not NUL-terminated */
	size_t		 len;
};

struct rp {
	struct record		*r;
	int			 depth;		/* open containers */
	int			 skip;		/* depth of a skipped container, 0: none */
	bool			 root_map;
	bool			 root_done;	/* the line's value is complete */
	bool			 in_methods;	/* depth 2 is method_calls */
	bool			 in_method;	/* depth 3 is a method object */
	int			 key;		/* enum rp_field of the last root key */
	int			 mkey;		/* enum rp_mfield of the last method key */
	uint32_t		 seen;
	uint32_t		 mseen;
	size_t			 melem;		/* elements of method_calls so far */
	uint32_t		 objs;		/* objects opened so far */
	bool			 plain;		/* no byte >= 0x80, no \u0000 */

	bool			 hard;		/* invalid_json found by us */
	enum reject_reason	 why;
	uint64_t		 rank;
	char			*detail;
	size_t			 dlen;

	/* Last, not cleared per line: obj[d] is set when a map opens at d. */
	uint32_t		 obj[RP_MAX_DEPTH + 2];	/* the object at each depth */
};

static const char *rp_mfield_names[] = {
	"class_name", "method_name", "execution_time_ms", "memory_delta_mb",
	"call_count", "success", "error"
};

/*
 * Keys other than the known ones, for the duplicate check: an
 * open-addressing table of (object number, key) for one line, emptied by
 * bumping a generation rather than clearing it.
 */
struct rp_key {
	uint32_t	gen;
	uint32_t	obj;
	uint32_t	hash;
	uint32_t	len;
	size_t		off;
};

struct record_keyset {
	char		*buf;
	size_t		 used, cap;
	struct rp_key	*tab;
	size_t		 mask;		/* table size - 1 */
	size_t		 n;
	uint32_t	 gen;
};

static void
record_keyset_free(struct record_keyset *ks)
{
	if (ks == NULL)
		return;
	free(ks->buf);
	free(ks->tab);
	free(ks);
}

static void
rp_keys_reset(struct record_keyset *ks)
{
	ks->used = 0;
	ks->n = 0;
	if (++ks->gen == 0) {
		memset(ks->tab, 0, (ks->mask + 1) * sizeof *ks->tab);
		ks->gen = 1;
	}
}

static struct rp_key *
rp_keys_slot(struct record_keyset *ks, uint32_t obj, uint32_t hash,
    const char *k, size_t len)
{
	struct rp_key	*e;
	size_t		 i;

	for (i = hash & ks->mask;; i = (i + 1) & ks->mask) {
		e = &ks->tab[i];
		if (e->gen != ks->gen)
			return e;
		if (e->obj == obj && e->hash == hash && e->len == len &&
		    (len == 0 || memcmp(ks->buf + e->off, k, len) == 0))
			return e;
	}
}

/* Adds key k of object obj; -1 when that object already had it. */
static int
rp_keys_add(struct record_keyset *ks, uint32_t obj, const char *k,
    size_t len)
{
	struct rp_key	*e, *old;
	uint32_t	 h = 2166136261u ^ obj;
	size_t		 i, oldsize;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	h ^= h >> 15;
	if ((ks->n + 1) * 2 > ks->mask + 1) {
		old = ks->tab;
		oldsize = old == NULL ? 0 : ks->mask + 1;
		ks->mask = oldsize == 0 ? 63 : oldsize * 2 - 1;
		ks->tab = xcalloc(ks->mask + 1, sizeof *ks->tab);
		for (i = 0; i < oldsize; i++) {
			size_t	j;

			if (old[i].gen != ks->gen)
				continue;
			for (j = old[i].hash & ks->mask; ks->tab[j].gen == ks->gen;
			    j = (j + 1) & ks->mask)
				;
			ks->tab[j] = old[i];
		}
		free(old);
	}
	e = rp_keys_slot(ks, obj, h, k, len);
	if (e->gen == ks->gen)
		return -1;
	if (ks->buf == NULL || ks->used + len > ks->cap) {
		ks->cap = ks->used + len > 2 * ks->cap ? ks->used + len + 64 :
		    2 * ks->cap;
		ks->buf = xrealloc(ks->buf, ks->cap);
	}
	memcpy(ks->buf + ks->used, k, len);
	e->gen = ks->gen;
	e->obj = obj;
	e->hash = h;
	e->len = (uint32_t)len;
	e->off = ks->used;
	ks->used += len;
	ks->n++;
	return 0;
}

static locale_t		rp_c_locale;
static pthread_once_t	rp_once = PTHREAD_ONCE_INIT;

static void
rp_locale_init(void)
{
	rp_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* A semantic rejection: kept when it ranks before the one already kept. */
static void __attribute__((format(printf, 4, 5)))
rp_reject(struct rp *p, enum reject_reason why, uint64_t rank,
    const char *fmt, ...)
{
	va_list	ap;
	char	buf[256];

	if (p->hard || rank >= p->rank)
		return;
	p->why = why;
	p->rank = rank;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	record_detail(p->detail, p->dlen, "%s", buf);
}

/* Invalid JSON found by a check of ours: returns 0 to stop yajl. */
static int __attribute__((format(printf, 2, 3)))
rp_invalid(struct rp *p, const char *fmt, ...)
{
	va_list	ap;
	char	buf[256];

	p->hard = true;
	p->why = REJECT_INVALID_JSON;
	p->rank = 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	record_detail(p->detail, p->dlen, "%s", buf);
	return 0;
}

/* Strict UTF-8 over a decoded string (yajl only checks the bit patterns);
 * 0 when valid. */
static int
rp_check_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return -1;
		i += n;
	}
	return 0;
}

/* The 4 hex digits at s (no more than that is read), or -1. */
static long
rp_hex4(const char *s)
{
	long	v = 0;
	int	i, c;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v * 16 + (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * What yajl lets through on the raw line: \v and \f as white space, and
 * unpaired surrogate escapes (it decodes a lone high one to "?").  A
 * backslash can only appear inside a string in valid JSON, so every
 * backslash starts an escape.  0 when fine.
 */
static int
rp_check_raw(const char *buf, size_t len, const char **what, bool *plain)
{
	const char	*p, *end = buf + len;
	long		 v, w;
	const uint64_t	 ones = UINT64_C(0x0101010101010101);
	uint64_t	 word, hi = 0, zero = 0;
	size_t		 i;

	/* Any byte >= 0x80 or NUL, eight at a time (yajl refuses a raw NUL
	 * in a string; a line holding one takes the full checks anyway). */
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&word, buf + i, 8);
		hi |= word;
		zero |= (word - ones) & ~word;
	}
	for (; i < len; i++) {
		hi |= (unsigned char)buf[i];
		if (buf[i] == '\0')
			zero = 0x80;
	}
	*plain = ((hi | zero) & (ones << 7)) == 0;

	if (memchr(buf, '\v', len) != NULL || memchr(buf, '\f', len) != NULL) {
		*what = "invalid character";
		return -1;
	}
	for (p = memchr(buf, '\\', len); p != NULL && p + 1 < end;
	    p = memchr(p, '\\', (size_t)(end - p))) {
		if (p[1] != 'u') {
			p += 2;
			continue;
		}
		if (end - p < 6 || (v = rp_hex4(p + 2)) == -1) {
			p += 2;		/* yajl reports the bad escape */
			continue;
		}
		p += 6;
		if (v == 0)
			*plain = false;
		if (v >= 0xdc00 && v <= 0xdfff) {
			*what = "invalid Unicode '\\uDC..'";
			return -1;
		}
		if (v < 0xd800 || v > 0xdbff)
			continue;
		if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
		    (w = rp_hex4(p + 2)) == -1 || w < 0xdc00 || w > 0xdfff) {
			*what = "invalid Unicode '\\uD8..'";
			return -1;
		}
		p += 6;
	}
	return 0;
}

/* A copy of s, NUL-terminated, in the record's buffer.  The buffer holds
 * the line's length plus one, and no line decodes to more strings than
 * that (each string loses at least its two quotes). */
static const char *
rp_keep(struct rp *p, const char *s, size_t len)
{
	struct record	*r = p->r;
	char		*d;

	if (r->strused + len + 1 > r->strcap)
		return NULL;
	d = r->strbuf + r->strused;
	memcpy(d, s, len);
	d[len] = '\0';
	r->strused += len + 1;
	return d;
}

static int
rp_field_of(const char *k, size_t len)
{
	int	i;

	switch (len) {
	case 5:
		return memcmp(k, "error", 5) == 0 ? RF_ERROR : RF_UNKNOWN;
	case 7:
		return memcmp(k, "success", 7) == 0 ? RF_SUCCESS : RF_UNKNOWN;
	case 9:
		return memcmp(k, "timestamp", 9) == 0 ? RF_TIMESTAMP : RF_UNKNOWN;
	case 11:
		return memcmp(k, "executor_id", 11) == 0 ? RF_ID : RF_UNKNOWN;
	case 12:
		return memcmp(k, "method_calls", 12) == 0 ? RF_METHODS :
		    RF_UNKNOWN;
	}
	for (i = 0; i < METRIC_COUNT; i++) {
		const char	*n = metric_name(i);

		/* (k holds no NUL: n matches when its first len bytes do and
		 * it ends there) */
		if (len > 0 && n[0] == k[0] && strncmp(n, k, len) == 0 &&
		    n[len] == '\0')
			return RF_METRIC + i;
	}
	return RF_UNKNOWN;
}

static int
rp_mfield_of(const char *k, size_t len)
{
	int	f;

	switch (len) {	/* the lengths of rp_mfield_names */
	case 5:
		f = MF_ERROR;
		break;
	case 7:
		f = MF_SUCCESS;
		break;
	case 10:
		f = k[1] == 'l' ? MF_CLASS : MF_COUNT;
		break;
	case 11:
		f = MF_NAME;
		break;
	case 15:
		f = MF_MEM;
		break;
	case 17:
		f = MF_TIME;
		break;
	default:
		return MF_UNKNOWN;
	}
	return memcmp(k, rp_mfield_names[f], len) == 0 ? f : MF_UNKNOWN;
}

/* A string value or null: 0 (kept in *out, NULL for null), -1 for another
 * type or a NUL inside. */
static int
rp_string(struct rp *p, const struct rp_value *v, const char **out)
{
	*out = NULL;
	if (v->type == RT_NULL)
		return 0;
	if (v->type != RT_STRING ||
	    (!p->plain && memchr(v->s, '\0', v->len) != NULL))
		return -1;
	*out = rp_keep(p, v->s, v->len);
	return *out == NULL ? -1 : 0;
}

/* A number or null: 0 (NAN for null), -1 for another type. */
static int
rp_number(const struct rp_value *v, double *out)
{
	*out = NAN;
	if (v->type == RT_NULL)
		return 0;
	if (v->type != RT_NUMBER)
		return -1;
	*out = v->d;
	return 0;
}

static void
rp_root_field(struct rp *p, const struct rp_value *v)
{
	struct record	*r = p->r;
	int		 k;

	switch (p->key) {
	case RF_ID:
		if (v->type != RT_STRING) {
			rp_reject(p, REJECT_INVALID_ID, RANK_ID,
			    "executor_id is not a string");
			break;
		}
		if (v->len == 0 || v->len > RECORD_MAX_ID_BYTES ||
		    (!p->plain && memchr(v->s, '\0', v->len) != NULL)) {
			rp_reject(p, REJECT_INVALID_ID, RANK_ID,
			    "executor_id is %s", v->len == 0 ? "empty" :
			    memchr(v->s, '\0', v->len) != NULL ?
			    "holding a NUL" : "longer than 256 bytes");
			break;
		}
		r->executor_id = rp_keep(p, v->s, v->len);
		break;
	case RF_SUCCESS:
		if (v->type == RT_BOOL)
			r->success = v->b;
		else if (v->type != RT_NULL)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_FIELD(p->key),
			    "success is not a boolean");
		break;
	case RF_ERROR:
		if (rp_string(p, v, &r->error) == -1)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_FIELD(p->key),
			    "error is not a string or null");
		break;
	case RF_TIMESTAMP:
		if (v->type == RT_NULL)
			break;
		if (v->type == RT_NUMBER)
			r->timestamp = v->d;
		else if (v->type == RT_STRING) {
			const char *s = rp_keep(p, v->s, v->len);

			if (s != NULL)
				r->timestamp = record_parse_iso8601(s);
		}
		if (isnan(r->timestamp))
			rp_reject(p, REJECT_WRONG_TYPE, RANK_FIELD(p->key),
			    "timestamp is neither epoch seconds nor ISO-8601");
		break;
	case RF_METHODS:
		/* An array is entered by the caller. */
		if (v->type != RT_NULL && v->type != RT_ARRAY)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_FIELD(p->key),
			    "method_calls is not an array");
		break;
	case RF_UNKNOWN:
		break;
	default:
		k = p->key - RF_METRIC;
		if (rp_number(v, &r->v[k]) == -1)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_FIELD(p->key),
			    "%s is not a number", metric_name(k));
		else if (!metric_signed[k] && r->v[k] < 0)
			rp_reject(p, REJECT_OUT_OF_RANGE, RANK_FIELD(p->key),
			    "%s is negative", metric_name(k));
		break;
	}
}

static void
rp_method_field(struct rp *p, const struct rp_value *v)
{
	struct record_method	*m = &p->r->methods[p->r->nmethods - 1];
	size_t			 i = p->melem - 1;

	switch (p->mkey) {
	case MF_CLASS:
		if (rp_string(p, v, &m->class_name) == -1)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(i, 1),
			    "method_calls[%zu].class_name is not a string", i);
		break;
	case MF_NAME:
		/* Missing, null or empty: checked at the end of the object. */
		if (rp_string(p, v, &m->method_name) == -1)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(i, 2),
			    "method_calls[%zu].method_name is missing or not a "
			    "string", i);
		break;
	case MF_TIME:
	case MF_MEM:
		if (rp_number(v, p->mkey == MF_TIME ? &m->exec_time_ms :
		    &m->mem_delta_mb) == -1)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(i, 3),
			    "method_calls[%zu] has a non-numeric "
			    "execution_time_ms or memory_delta_mb", i);
		else if (p->mkey == MF_TIME && m->exec_time_ms < 0)
			rp_reject(p, REJECT_OUT_OF_RANGE, RANK_METHOD(i, 4),
			    "method_calls[%zu].execution_time_ms is negative", i);
		break;
	case MF_COUNT:
		if (v->type == RT_NULL)
			break;
		if (v->type != RT_NUMBER || !v->is_int)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(i, 5),
			    "method_calls[%zu].call_count is not an integer", i);
		else if (v->i < 0 || v->i > RECORD_MAX_COUNT)
			rp_reject(p, REJECT_OUT_OF_RANGE, RANK_METHOD(i, 5),
			    "method_calls[%zu].call_count is out of range", i);
		else
			m->call_count = (uint64_t)v->i;
		break;
	case MF_SUCCESS:
		if (v->type == RT_BOOL)
			m->success = v->b;
		else if (v->type != RT_NULL)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(i, 7),
			    "method_calls[%zu].success is not a boolean", i);
		break;
	case MF_ERROR:
		if (rp_string(p, v, &m->error) == -1)
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(i, 8),
			    "method_calls[%zu].error is not a string or null", i);
		break;
	default:
		break;
	}
}

/* Every value, container starts included.  Returns 0 to stop yajl. */
static int
rp_value(struct rp *p, const struct rp_value *v)
{
	bool	container = v->type == RT_MAP || v->type == RT_ARRAY;
	bool	enter = false;

	if (p->depth + 1 > RP_MAX_DEPTH)
		return rp_invalid(p, "maximum parsing depth reached");
	if (p->skip != 0)
		goto out;
	if (p->depth == 0) {
		if (v->type == RT_MAP)
			p->root_map = enter = true;
		else
			rp_reject(p, REJECT_NOT_OBJECT, RANK_NOT_OBJECT,
			    "the line is a JSON %s, not an object",
			    v->type == RT_ARRAY ? "array" : v->type == RT_STRING ?
			    "string" : v->type == RT_NUMBER ? "number" : "literal");
	} else if (p->depth == 1) {
		rp_root_field(p, v);
		if (p->key == RF_METHODS && v->type == RT_ARRAY) {
			p->in_methods = enter = true;
			p->melem = 0;
		}
	} else if (p->depth == 2 && p->in_methods) {
		p->melem++;
		if (v->type == RT_MAP) {
			struct record_method	*m = record_method_slot(p->r);

			m->class_name = NULL;
			m->method_name = NULL;
			m->exec_time_ms = NAN;
			m->mem_delta_mb = NAN;
			m->call_count = 1;
			m->success = true;
			m->error = NULL;
			p->mseen = 0;
			p->in_method = enter = true;
		} else
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(p->melem - 1, 0),
			    "method_calls[%zu] is not an object", p->melem - 1);
	} else if (p->depth == 3 && p->in_method)
		rp_method_field(p, v);
out:
	if (p->depth == 0 && !container)
		p->root_done = true;
	if (container) {
		p->depth++;
		if (v->type == RT_MAP)
			p->obj[p->depth] = ++p->objs;
		if (!enter && p->skip == 0)
			p->skip = p->depth;
	}
	return 1;
}

static int
rp_end(void *ctx)
{
	struct rp		*p = ctx;
	struct record_method	*m;

	if (p->skip != 0) {
		if (p->skip == p->depth)
			p->skip = 0;
	} else if (p->depth == 3 && p->in_method) {
		m = &p->r->methods[p->r->nmethods - 1];
		if (m->class_name == NULL)
			m->class_name = "";
		if (m->method_name == NULL || *m->method_name == '\0')
			rp_reject(p, REJECT_WRONG_TYPE, RANK_METHOD(p->melem - 1, 2),
			    "method_calls[%zu].method_name is missing or not a "
			    "string", p->melem - 1);
		p->in_method = false;
	} else if (p->depth == 2 && p->in_methods)
		p->in_methods = false;
	if (--p->depth == 0)
		p->root_done = true;
	return 1;
}

static int
rp_null(void *ctx)
{
	struct rp_value	v = { .type = RT_NULL };

	return rp_value(ctx, &v);
}

static int
rp_boolean(void *ctx, int b)
{
	struct rp_value	v = { .type = RT_BOOL, .b = b != 0 };

	return rp_value(ctx, &v);
}

/* Powers of ten that a double holds exactly. */
static const double rp_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * The value of a number's text (valid JSON, checked by yajl) without
 * strtod when that is exact: an integer of at most 18 digits, or a real
 * whose digits make an integer m <= 2^53 scaled by 10^e with |e| <= 22:
 * m and 10^e are exact doubles, so one IEEE multiply or divide rounds
 * once, to the double strtod gives (Clinger's fast path).  -1 otherwise.
 */
static int
rp_fast_number(const char *s, size_t len, struct rp_value *v)
{
	const char	*p = s, *end = s + len;
	uint64_t	 m = 0;
	int		 digits = 0, scale = 0, e = 0;
	bool		 neg = false, eneg = false, real = false;
	double		 d;

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
	return -1;	/* extended precision would round twice */
#endif
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (++digits > 18)
			return -1;
		m = m * 10 + (uint64_t)(*p - '0');
	}
	if (p < end && *p == '.') {
		real = true;
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, scale++) {
			if (++digits > 18)
				return -1;
			m = m * 10 + (uint64_t)(*p - '0');
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = true;
		if (++p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			if (e > 1000)
				return -1;
			e = e * 10 + (*p - '0');
		}
	}
	if (p != end || digits == 0)
		return -1;
	v->is_int = !real;
	if (!real) {
		v->i = neg ? -(long long)m : (long long)m;
		v->d = (double)v->i;
		return 0;
	}
	e = (eneg ? -e : e) - scale;
	if (m > (UINT64_C(1) << 53) || e < -22 || e > 22)
		return -1;
	d = (double)m;
	d = e < 0 ? d / rp_pow10[-e] : d * rp_pow10[e];
	v->d = neg ? -d : d;
	return 0;
}

/* The number's text, as jansson reads it: an integer (no '.', 'e' or
 * 'E') must fit a long long, a real must not overflow a double. */
static int
rp_number_cb(void *ctx, const char *s, size_t len)
{
	struct rp	*p = ctx;
	struct rp_value	 v = { .type = RT_NUMBER };
	char		 small[64], *t = small, *end;
	int		 rc;

	if (rp_fast_number(s, len, &v) == 0)
		return rp_value(p, &v);
	if (len >= sizeof small)
		t = xmalloc(len + 1);
	memcpy(t, s, len);
	t[len] = '\0';
	v.is_int = strpbrk(t, ".eE") == NULL;
	errno = 0;
	if (v.is_int) {
		v.i = strtoll(t, &end, 10);
		v.d = (double)v.i;
	} else {
		pthread_once(&rp_once, rp_locale_init);
		v.d = strtod_l(t, &end, rp_c_locale);
	}
	if (v.is_int && errno == ERANGE)
		rc = rp_invalid(p, "too big integer");
	else if (!v.is_int && errno == ERANGE &&
	    (v.d == HUGE_VAL || v.d == -HUGE_VAL))
		rc = rp_invalid(p, "real number overflow");
	else
		rc = rp_value(p, &v);
	if (t != small)
		free(t);
	return rc;
}

static int
rp_string_cb(void *ctx, const unsigned char *s, size_t len)
{
	struct rp_value	v = { .type = RT_STRING, .s = (const char *)s,
			    .len = len };

	if (!((struct rp *)ctx)->plain && rp_check_utf8(s, len) == -1)
		return rp_invalid(ctx, "invalid UTF-8 in a string");
	return rp_value(ctx, &v);
}

static int
rp_start_map(void *ctx)
{
	struct rp_value	v = { .type = RT_MAP };

	return rp_value(ctx, &v);
}

static int
rp_start_array(void *ctx)
{
	struct rp_value	v = { .type = RT_ARRAY };

	return rp_value(ctx, &v);
}

/* Marks known field f in *seen; a second sight is a duplicate key. */
static int
rp_mark_seen(struct rp *p, uint32_t *seen, int f, const char *k, size_t len)
{
	if (*seen & (1u << f))
		return rp_invalid(p, "duplicate object key '%.*s'", (int)len, k);
	*seen |= 1u << f;
	return 1;
}

/* Keeps the name of an unknown field (the first few of a line). */
static void
rp_unknown(struct rp *p, const char *k, size_t len, bool in_method)
{
	struct record	*r = p->r;
	const char	*name;

	if (r->nunknown >= RECORD_MAX_UNKNOWN ||
	    (name = rp_keep(p, k, len)) == NULL)
		return;
	if (in_method)
		r->unknown_in_method |= 1u << r->nunknown;
	r->unknown[r->nunknown++] = name;
}

static int
rp_map_key(void *ctx, const unsigned char *s, size_t len)
{
	struct rp	*p = ctx;
	const char	*k = (const char *)s;
	int		 f;

	/* A plain line decodes to valid UTF-8 without NULs. */
	if (!p->plain && rp_check_utf8(s, len) == -1)
		return rp_invalid(p, "invalid UTF-8 in an object key");
	if (!p->plain && memchr(s, '\0', len) != NULL)
		return rp_invalid(p, "NUL byte in object key not supported");
	if (p->skip != 0)
		goto other;
	if (p->depth == 1) {
		p->key = f = rp_field_of(k, len);
		if (f == RF_UNKNOWN) {
			rp_unknown(p, k, len, false);
			goto other;
		}
		return rp_mark_seen(p, &p->seen, f, k, len);
	} else if (p->depth == 3 && p->in_method) {
		p->mkey = f = rp_mfield_of(k, len);
		if (f == MF_UNKNOWN) {
			rp_unknown(p, k, len, true);
			goto other;
		}
		return rp_mark_seen(p, &p->mseen, f, k, len);
	}
other:
	if (rp_keys_add(p->r->keyset, p->obj[p->depth], k, len) == -1)
		return rp_invalid(p, "duplicate object key");
	return 1;
}

static const yajl_callbacks rp_callbacks = {
	.yajl_null = rp_null,
	.yajl_boolean = rp_boolean,
	.yajl_number = rp_number_cb,
	.yajl_string = rp_string_cb,
	.yajl_start_map = rp_start_map,
	.yajl_map_key = rp_map_key,
	.yajl_end_map = rp_end,
	.yajl_start_array = rp_start_array,
	.yajl_end_array = rp_end,
};

int
record_parse(struct record *r, const char *buf, size_t len,
    enum reject_reason *why, char *detail, size_t dlen)
{
	struct rp	 p;
	yajl_handle	 h;
	yajl_status	 st;
	const char	*what;
	bool		 plain;
	int		 k;

	record_clear(r);
	if (dlen > 0)
		detail[0] = '\0';
	if (r->strcap < len + 1) {
		r->strcap = len + 1 > 256 ? len + 1 : 256;
		free(r->strbuf);
		r->strbuf = xmalloc(r->strcap);
	}
	r->strused = 0;
	if (r->keyset == NULL)
		r->keyset = xcalloc(1, sizeof *r->keyset);
	rp_keys_reset(r->keyset);
	for (k = 0; k < METRIC_COUNT; k++)
		r->v[k] = NAN;
	r->success = true;
	r->timestamp = NAN;

	if (rp_check_raw(buf, len, &what, &plain) == -1) {
		*why = REJECT_INVALID_JSON;
		record_detail(detail, dlen, "%s", what);
		return -1;
	}

	memset(&p, 0, offsetof(struct rp, obj));
	p.plain = plain;
	p.r = r;
	p.rank = RANK_NONE;
	p.key = RF_UNKNOWN;
	p.mkey = MF_UNKNOWN;
	p.detail = detail;
	p.dlen = dlen;
	h = yajl_alloc(&rp_callbacks, NULL, &p);
	if (h == NULL) {
		*why = REJECT_INVALID_JSON;
		record_detail(detail, dlen, "out of memory");
		return -1;
	}
	st = yajl_parse(h, (const unsigned char *)buf, len);
	/*
	 * yajl does not see a token cut short by the end of the line after a
	 * complete value ("{} \"x"): it waits for the rest.  A quote ends
	 * such a string (and any other token), which it then reports as
	 * trailing garbage; after a bare complete value it opens a string
	 * that yajl_complete_parse ignores.
	 */
	if (st == yajl_status_ok && p.root_done)
		st = yajl_parse(h, (const unsigned char *)"\"", 1);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (st != yajl_status_ok && !p.hard) {
		unsigned char	*msg = yajl_get_error(h, 0,
				    (const unsigned char *)buf, len);

		*why = REJECT_INVALID_JSON;
		record_detail(detail, dlen, "byte %zu: %s",
		    yajl_get_bytes_consumed(h), msg != NULL ?
		    (const char *)msg : "parse error");
		if (msg != NULL)
			yajl_free_error(h, msg);
		yajl_free(h);
		return -1;
	}
	yajl_free(h);
	if (!p.hard && p.root_map && !(p.seen & (1u << RF_ID)))
		rp_reject(&p, REJECT_MISSING_ID, RANK_ID, "no executor_id");
	if (p.rank != RANK_NONE) {
		*why = p.why;
		return -1;
	}
	return 0;
}
