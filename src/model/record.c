/*
 * record.c - parse and validate one JSON line into a struct record.
 *
 * jansson parses the line's exact bytes (json_loadb) with
 * JSON_REJECT_DUPLICATES and without JSON_DISABLE_EOF_CHECK, so a second
 * value after the object is an error.  JSON_ALLOW_NUL lets us tell a NUL
 * inside a string (a bad field) from a malformed line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "record.h"
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
	[REJECT_TORN_LINE] = "torn_line",
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
	r->executor_id = NULL;
	r->error = NULL;
	r->nmethods = 0;
}

void
record_free(struct record *r)
{
	record_clear(r);
	free(r->methods);
	r->methods = NULL;
	r->methods_cap = 0;
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
	char		*end;
	time_t		 t;

	memset(&tm, 0, sizeof tm);
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (p == NULL)
		return NAN;
	if (*p == '.') {
		frac = strtod(p, &end);
		p = end;
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
record_parse(struct record *r, const char *buf, size_t len,
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
