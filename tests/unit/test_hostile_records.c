/*
 * test_hostile_records.c - issue 5, cases 1 to 6 at the engine level:
 * hostile record lines are rejected under the right reason, the detail
 * shown for them is inert, blank lines are not counted, and every good
 * record around the bad ones is kept (through a real file source, the
 * sequential reader and the parallel one).  The flood of distinct ids and
 * methods stays within the caps.
 *
 * test_record.c covers the basic reasons; this file adds the boundary and
 * hostile cases the issue lists that it does not.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "model.h"
#include "record.h"
#include "testutil.h"

static struct record rec;

static void
setup(void)
{
	record_init(&rec);
}

static void
teardown(void)
{
	record_free(&rec);
}

TestSuite(hostile_record, .init = setup, .fini = teardown);

/* The detail must be printable ASCII whatever the input held. */
static void
assert_inert(const char *detail)
{
	const char	*p;

	for (p = detail; *p != '\0'; p++)
		cr_assert((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f,
		    "detail byte 0x%02x not printable: %s", (unsigned char)*p,
		    detail);
}

static void
expect_reject_len(const char *line, size_t len, enum reject_reason want)
{
	enum reject_reason	why = REJECT_COUNT;
	char			detail[MODEL_DETAIL_LEN];

	cr_assert_eq(record_parse(&rec, line, len, &why, detail, sizeof detail),
	    -1, "accepted: %.*s", (int)(len > 120 ? 120 : len), line);
	cr_assert_eq(why, want, "%.*s: got %s, want %s",
	    (int)(len > 120 ? 120 : len), line, record_reject_name(why),
	    record_reject_name(want));
	assert_inert(detail);
	record_clear(&rec);
}

#define REJECT(s, r) expect_reject_len((s), strlen(s), (r))

static void
expect_accept(const char *line)
{
	enum reject_reason	why = REJECT_COUNT;
	char			detail[MODEL_DETAIL_LEN];

	cr_assert_eq(record_parse(&rec, line, strlen(line), &why, detail,
	    sizeof detail), 0, "rejected (%s: %s): %.120s",
	    record_reject_name(why), detail, line);
}

/* Case 1: not an object in every way a line can fail to be one. */
Test(hostile_record, case1_not_json_and_not_object)
{
	REJECT("{", REJECT_INVALID_JSON);
	REJECT("}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x", REJECT_INVALID_JSON);
	REJECT("{'executor_id':'x'}", REJECT_INVALID_JSON);
	REJECT("{executor_id:\"x\"}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\"}}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\"} // comment", REJECT_INVALID_JSON);
	REJECT("\xef\xbb\xbf{\"executor_id\":\"x\"}", REJECT_INVALID_JSON);
	REJECT("true", REJECT_NOT_OBJECT);
	REJECT("false", REJECT_NOT_OBJECT);
	REJECT("-3.5e2", REJECT_NOT_OBJECT);
	REJECT("\"{\\\"executor_id\\\":\\\"x\\\"}\"", REJECT_NOT_OBJECT);
	REJECT("[]", REJECT_NOT_OBJECT);
	REJECT("[{\"executor_id\":\"x\"}]", REJECT_NOT_OBJECT);
	REJECT("{}", REJECT_MISSING_ID);
	REJECT("{\"Executor_Id\":\"x\"}", REJECT_MISSING_ID);
}

/* Case 1: blank lines (and a CRLF line end) are not records and not bad. */
Test(hostile_record, case1_blank_lines_not_counted)
{
	static const char *blank[] = { "", " ", "\t", "\r", " \t \r", "      " };
	struct model	*m = model_create(NULL);
	size_t		 i;

	for (i = 0; i < sizeof blank / sizeof blank[0]; i++)
		ingest_line(m, "t", blank[i], strlen(blank[i]), i + 1, false);
	cr_assert_eq(m->invalid, 0);
	cr_assert_eq(m->records, 0);
	/* A record ending in CR (a CRLF file) is a record. */
	ingest_line(m, "t", "{\"executor_id\":\"crlf\"}\r", 23, 9, false);
	cr_assert_eq(m->records, 1);
	cr_assert_not_null(model_find(m, "crlf"));
	model_free(m);
}

/* Case 2: executor_id, at and around every limit. */
Test(hostile_record, case2_executor_id_limits)
{
	char	line[1200], id[1024];
	size_t	i;

	/* Exactly 256 bytes is accepted, 257 is not. */
	memset(id, 'a', 256);
	id[256] = '\0';
	snprintf(line, sizeof line, "{\"executor_id\":\"%s\"}", id);
	expect_accept(line);
	cr_assert_eq(strlen(rec.executor_id), 256);
	record_clear(&rec);
	snprintf(line, sizeof line, "{\"executor_id\":\"%sb\"}", id);
	REJECT(line, REJECT_INVALID_ID);

	/* The limit is in bytes: 85 three-byte characters + 1 = 256 bytes
	 * pass, 86 (258 bytes) do not. */
	for (i = 0; i < 86; i++)
		memcpy(id + 3 * i, "\xe6\x97\xa5", 3);
	snprintf(line, sizeof line, "{\"executor_id\":\"%.255sz\"}", id);
	expect_accept(line);
	record_clear(&rec);
	snprintf(line, sizeof line, "{\"executor_id\":\"%.258s\"}", id);
	REJECT(line, REJECT_INVALID_ID);
	/* An escaped id counts its decoded bytes: 256 "\u0041" are 256 bytes. */
	{
		char	*big = malloc(256 * 6 + 64), *p;

		p = big + sprintf(big, "{\"executor_id\":\"");
		for (i = 0; i < 256; i++)
			p += sprintf(p, "\\u0041");
		strcpy(p, "\"}");
		expect_accept(big);
		record_clear(&rec);
		free(big);
	}

	REJECT("{\"executor_id\":true}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":[\"x\"]}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":{\"id\":\"x\"}}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":1.5}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":\"\\u0000\"}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":\"x\\u0000\"}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":\"\\u0000x\"}", REJECT_INVALID_ID);
	/* A lone surrogate escape is not valid UTF-8 once decoded. */
	REJECT("{\"executor_id\":\"\\ud800\"}", REJECT_INVALID_JSON);
	/* Whitespace-only ids are ids (shown escaped, not rejected). */
	expect_accept("{\"executor_id\":\" \"}");
}

/* Case 3: numbers of the wrong type or out of range, for every field. */
Test(hostile_record, case3_numbers)
{
	static const char *nonneg[] = { "execution_time_ms", "memory_peak_mb",
	    "serialization_time_ms", "serialization_size_bytes" };
	char	line[256];
	size_t	i;

	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof line, "{\"executor_id\":\"x\",\"%s\":\"12\"}",
		    nonneg[i]);
		REJECT(line, REJECT_WRONG_TYPE);
		snprintf(line, sizeof line, "{\"executor_id\":\"x\",\"%s\":-0.001}",
		    nonneg[i]);
		REJECT(line, REJECT_OUT_OF_RANGE);
		snprintf(line, sizeof line, "{\"executor_id\":\"x\",\"%s\":true}",
		    nonneg[i]);
		REJECT(line, REJECT_WRONG_TYPE);
		snprintf(line, sizeof line, "{\"executor_id\":\"x\",\"%s\":[1]}",
		    nonneg[i]);
		REJECT(line, REJECT_WRONG_TYPE);
		/* null means "not measured" */
		snprintf(line, sizeof line, "{\"executor_id\":\"x\",\"%s\":null}",
		    nonneg[i]);
		expect_accept(line);
		record_clear(&rec);
	}
	REJECT("{\"executor_id\":\"x\",\"memory_footprint_mb\":\"-3\"}",
	    REJECT_WRONG_TYPE);
	expect_accept("{\"executor_id\":\"x\",\"memory_footprint_mb\":-3}");
	cr_assert_eq(rec.v[METRIC_MEM_FOOTPRINT], -3);
	record_clear(&rec);

	/* Non-finite and overflowing numbers. */
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":Infinity}",
	    REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":-Infinity}",
	    REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":nan}",
	    REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"memory_footprint_mb\":-1e309}",
	    REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":"
	    "100000000000000000000000000000}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\","
	    "\"execution_time_ms\":1e400}]}", REJECT_INVALID_JSON);
	/* The largest finite double and an underflow to 0 are numbers. */
	expect_accept("{\"executor_id\":\"x\",\"execution_time_ms\":1.7976931348623157e308}");
	cr_assert(isfinite(rec.v[METRIC_EXEC_TIME]));
	record_clear(&rec);
	expect_accept("{\"executor_id\":\"x\",\"execution_time_ms\":1e-400}");
	cr_assert_eq(rec.v[METRIC_EXEC_TIME], 0);
	record_clear(&rec);

	/* call_count: an integer from 0 to 2^53. */
	expect_accept("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":"
	    "\"m\",\"call_count\":9007199254740992}]}");
	cr_assert_eq(rec.methods[0].call_count, 9007199254740992ULL);
	record_clear(&rec);
	expect_accept("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":"
	    "\"m\",\"call_count\":0}]}");
	record_clear(&rec);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\","
	    "\"call_count\":-1}]}", REJECT_OUT_OF_RANGE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\","
	    "\"call_count\":9223372036854775807}]}", REJECT_OUT_OF_RANGE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\","
	    "\"call_count\":1e20}]}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\","
	    "\"call_count\":\"3\"}]}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\","
	    "\"memory_delta_mb\":\"1\"}]}", REJECT_WRONG_TYPE);

	/* method_calls not an array, or with members that are not objects. */
	REJECT("{\"executor_id\":\"x\",\"method_calls\":\"run\"}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":5}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":true}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[null]}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[\"m\"]}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[[{\"method_name\":\"m\"}]]}",
	    REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\"},7]}",
	    REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"\"}]}",
	    REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"a\\u0000b\"}]}",
	    REJECT_WRONG_TYPE);
	expect_accept("{\"executor_id\":\"x\",\"method_calls\":null}");
	cr_assert_eq(rec.nmethods, 0);
	record_clear(&rec);
	expect_accept("{\"executor_id\":\"x\",\"method_calls\":[]}");
	record_clear(&rec);
}

/* Builds "{prefix" + n copies of open + "1" + n copies of close + "}". */
static char *
nested(const char *prefix, const char *open, const char *close, size_t n,
    size_t *lenp)
{
	size_t	 lo = strlen(open), lc = strlen(close), lp = strlen(prefix);
	char	*s = malloc(lp + n * (lo + lc) + 4), *p = s;
	size_t	 i;

	memcpy(p, prefix, lp);
	p += lp;
	for (i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	*p++ = '1';
	for (i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	*lenp = (size_t)(p - s);
	return s;
}

/* Case 4: duplicate keys anywhere, and nesting 10,000 deep. */
Test(hostile_record, case4_duplicates_and_depth)
{
	char	*s;
	size_t	 len;

	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"a\","
	    "\"method_name\":\"b\"}]}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"extra\":{\"k\":1,\"k\":2}}",
	    REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":1,"
	    "\"execution_time_ms\":2}", REJECT_INVALID_JSON);
	/* Same key spelled with an escape is the same key. */
	REJECT("{\"executor_id\":\"x\",\"\\u0065xecutor_id\":\"y\"}",
	    REJECT_INVALID_JSON);

	/* 10,000 '[' with nothing else: rejected, no stack overflow. */
	s = malloc(10001);
	memset(s, '[', 10000);
	expect_reject_len(s, 10000, REJECT_INVALID_JSON);
	free(s);
	/* Balanced, inside an ignored field. */
	s = nested("{\"executor_id\":\"x\",\"extra\":", "[", "]", 10000, &len);
	strcat(s, "}");
	expect_reject_len(s, len + 1, REJECT_INVALID_JSON);
	free(s);
	s = nested("{\"executor_id\":\"x\",\"extra\":", "{\"a\":", "}", 10000,
	    &len);
	strcat(s, "}");
	expect_reject_len(s, len + 1, REJECT_INVALID_JSON);
	free(s);
	/* Moderate nesting in an unknown field is fine. */
	s = nested("{\"executor_id\":\"x\",\"extra\":", "[", "]", 100, &len);
	strcat(s, "}");
	expect_accept(s);
	record_clear(&rec);
	free(s);
}

/* Case 5: invalid UTF-8 is rejected; control and layout characters are
 * valid JSON, so accepted, and kept byte for byte for the views to
 * escape; whatever the line held, the rejection detail is inert. */
Test(hostile_record, case5_utf8_and_controls)
{
	static const char *bad_utf8[] = {
		"{\"executor_id\":\"\xc0\xaf\"}",		/* overlong */
		"{\"executor_id\":\"\xed\xa0\x80\"}",		/* surrogate */
		"{\"executor_id\":\"\xf4\x90\x80\x80\"}",	/* > U+10FFFF */
		"{\"executor_id\":\"ok\xe6\x97\"}",		/* truncated */
		"{\"executor_id\":\"x\",\"error\":\"\x80\"}",	/* lone continuation */
		"{\"executor_id\":\"x\",\"\xff\":1}",		/* in a key */
	};
	static const struct {
		const char	*json;
		const char	*raw;
	} ok[] = {
		{ "\\u001b]8;;x", "\x1b]8;;x" },
		{ "\\u001b[2J\\u0007", "\x1b[2J\x07" },
		{ "a\\rb\\bc\\nd\\te", "a\rb\bc\nd\te" },
		{ "\\u009b31m", "\xc2\x9b" "31m" },
		{ "\\u202eevil", "\xe2\x80\xae" "evil" },
		{ "line\\u2028sep", "line\xe2\x80\xa8sep" },
		{ "\xe2\x80\xae raw bidi", "\xe2\x80\xae raw bidi" },
		{ "\x7f", "\x7f" },
	};
	char	line[256];
	size_t	i;

	for (i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++)
		REJECT(bad_utf8[i], REJECT_INVALID_JSON);
	/* Raw control bytes inside a JSON string are invalid JSON. */
	REJECT("{\"executor_id\":\"a\x1b[31mb\"}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"a\x07\"}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"a\rb\"}", REJECT_INVALID_JSON);

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(line, sizeof line, "{\"executor_id\":\"%s\",\"error\":"
		    "\"%s\",\"method_calls\":[{\"class_name\":\"%s\","
		    "\"method_name\":\"%s\"}]}", ok[i].json, ok[i].json,
		    ok[i].json, ok[i].json);
		expect_accept(line);
		cr_assert_str_eq(rec.executor_id, ok[i].raw);
		cr_assert_str_eq(rec.error, ok[i].raw);
		cr_assert_str_eq(rec.methods[0].class_name, ok[i].raw);
		cr_assert_str_eq(rec.methods[0].method_name, ok[i].raw);
		record_clear(&rec);
	}
}

/* jansson's error text quotes the input near the error: whatever bytes
 * were there, the detail kept for display is printable ASCII. */
Test(hostile_record, case5_error_text_is_cleaned)
{
	static const char *lines[] = {
		"{\"executor_id\":\"x\",\x1b]8;;http://evil\x07}",
		"{\"executor_id\":\"x\"\x1b[2J\x1b[H}",
		"\x1b]0;pwned\x07",
		"{\"executor_id\":\"x\",\xc2\x9b" "31m:1}",
		"{\"executor_id\":\"x\",\xe2\x80\xae:1}",
		"{\"executor_id\":\"x\",\xff\xfe:1}",
		"{\"a\r\b\n\":1",
		"tru\x1b",
		"{\"executor_id\":\"x\",\"execution_time_ms\":1e999\x1b[31m}",
	};
	struct model		*m = model_create(NULL);
	const struct rejection	*r;
	size_t			 i;
	unsigned		 k;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		REJECT(lines[i], REJECT_INVALID_JSON);
		ingest_line(m, "src\x1b[31m", lines[i], strlen(lines[i]), i + 1,
		    false);
	}
	cr_assert_eq(m->invalid_by[REJECT_INVALID_JSON], i);
	for (k = 0; (r = model_rejection(m, k)) != NULL; k++)
		assert_inert(r->detail);
	cr_assert_eq(k, MODEL_REJECTIONS);
	model_free(m);
}

/*
 * Every hostile line of cases 1-5 between good records, through a real
 * file: the good records are all kept, each bad line counted once under
 * its reason, blank lines not at all.
 */
static const struct {
	const char		*line;
	int			 reason;	/* -1: blank, -2: accepted */
} mix[] = {
	{ "not json", REJECT_INVALID_JSON },
	{ "{\"executor_id\":\"x\"", REJECT_INVALID_JSON },
	{ "[1,2,3]", REJECT_NOT_OBJECT },
	{ "\"just a string\"", REJECT_NOT_OBJECT },
	{ "42", REJECT_NOT_OBJECT },
	{ "", -1 },
	{ "   \t  ", -1 },
	{ "\r", -1 },
	{ "{\"execution_time_ms\":1}", REJECT_MISSING_ID },
	{ "{\"executor_id\":7}", REJECT_INVALID_ID },
	{ "{\"executor_id\":\"\"}", REJECT_INVALID_ID },
	{ "{\"executor_id\":\"a\\u0000b\"}", REJECT_INVALID_ID },
	{ "{\"executor_id\":\"x\",\"execution_time_ms\":\"12\"}", REJECT_WRONG_TYPE },
	{ "{\"executor_id\":\"x\",\"execution_time_ms\":-5}", REJECT_OUT_OF_RANGE },
	{ "{\"executor_id\":\"x\",\"execution_time_ms\":1e309}", REJECT_INVALID_JSON },
	{ "{\"executor_id\":\"x\",\"execution_time_ms\":NaN}", REJECT_INVALID_JSON },
	{ "{\"executor_id\":\"x\",\"execution_time_ms\":Infinity}", REJECT_INVALID_JSON },
	{ "{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\","
	  "\"call_count\":9007199254740993}]}", REJECT_OUT_OF_RANGE },
	{ "{\"executor_id\":\"x\",\"method_calls\":{}}", REJECT_WRONG_TYPE },
	{ "{\"executor_id\":\"x\",\"method_calls\":[1]}", REJECT_WRONG_TYPE },
	{ "{\"executor_id\":\"x\",\"executor_id\":\"y\"}", REJECT_INVALID_JSON },
	{ "{\"executor_id\":\"\xff\"}", REJECT_INVALID_JSON },
	{ "{\"executor_id\":\"\\u001b]8;;x\\u0007\\r\\b\\n\\u009b\\u202e\\u2028\"}", -2 },
};
#define NMIX (sizeof mix / sizeof mix[0])

/* Writes the mixed file; returns the expected counts. */
static char *
write_mix(const char *dir, uint64_t by[REJECT_COUNT], uint64_t *good)
{
	char	*path = tu_fmt("%s/mix.jsonl", dir), *line;
	size_t	 i, round;

	memset(by, 0, REJECT_COUNT * sizeof *by);
	*good = 0;
	tu_write_file(path, "", 0, 0);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < NMIX; i++) {
			line = tu_fmt("{\"executor_id\":\"G%zu\",\"execution_time_ms\":"
			    "%zu}\n%s\n", i, round + 1, mix[i].line);
			tu_write_file(path, line, strlen(line), 1);
			free(line);
			(*good)++;
			if (mix[i].reason >= 0)
				by[mix[i].reason]++;
			else if (mix[i].reason == -2)
				(*good)++;
		}
	}
	/* A 10,000-deep line and an over-long one (limit 64 KiB below). */
	line = malloc(200001);
	memset(line, '[', 10000);
	line[10000] = '\n';
	tu_write_file(path, line, 10001, 1);
	by[REJECT_INVALID_JSON]++;
	memset(line, 'x', 200000);
	line[200000] = '\n';
	tu_write_file(path, line, 200001, 1);
	by[REJECT_LINE_TOO_LONG]++;
	free(line);
	tu_write_file(path, "{\"executor_id\":\"last\"}\n", 23, 1);
	(*good)++;
	return path;
}

static void
check_mix(const struct model *m, const uint64_t by[REJECT_COUNT],
    uint64_t good)
{
	uint64_t	total = 0;
	size_t		i;
	int		r;

	cr_assert_eq(m->records, good, "records %llu, want %llu",
	    (unsigned long long)m->records, (unsigned long long)good);
	for (r = 0; r < REJECT_COUNT; r++) {
		cr_assert_eq(m->invalid_by[r], by[r], "%s: %llu, want %llu",
		    record_reject_name(r), (unsigned long long)m->invalid_by[r],
		    (unsigned long long)by[r]);
		total += by[r];
	}
	cr_assert_eq(m->invalid, total);
	for (i = 0; i < NMIX; i++) {
		char		 id[16];
		struct executor	*ex;

		snprintf(id, sizeof id, "G%zu", i);
		ex = model_find(m, id);
		cr_assert_not_null(ex, "%s lost", id);
		cr_assert_eq(ex->runs, 3);
		cr_assert_eq(ex->m[METRIC_EXEC_TIME].all.mean, 2);
	}
	cr_assert_not_null(model_find(m, "last"));
	cr_assert_not_null(model_find(m,
	    "\x1b]8;;x\x07\r\b\n\xc2\x9b\xe2\x80\xae\xe2\x80\xa8"));
}

Test(hostile_record, cases1to5_every_good_record_kept_sequential)
{
	char		*dir = tu_tmpdir(), *path, *cause = NULL;
	uint64_t	 by[REJECT_COUNT], good;
	struct model	*m = model_create(NULL);
	struct source	*s;

	path = write_mix(dir, by, &good);
	s = source_open(path, false, 65536, &cause);
	cr_assert_not_null(s, "%s", cause);
	cr_assert_eq(ingest_run_to_eof(&s, 1, m, &cause), 0);
	check_mix(m, by, good);
	source_close(s);
	model_free(m);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

Test(hostile_record, cases1to5_every_good_record_kept_parallel)
{
	char		*dir = tu_tmpdir(), *path, *cause = NULL;
	uint64_t	 by[REJECT_COUNT], good;
	struct model	*m = model_create(NULL);

	path = write_mix(dir, by, &good);
	cr_assert_eq(ingest_file_parallel(path, m, 65536, 4, &cause), 0, "%s",
	    cause);
	check_mix(m, by, good);
	model_free(m);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

struct feed_ctx {
	struct model	*m;
	struct record	*r;
};

static void
feed_line(void *arg, const char *line, size_t len, uint64_t lineno,
    bool too_long)
{
	struct feed_ctx	*c = arg;

	ingest_line_with(c->m, c->r, "t", line, len, lineno, too_long);
}

/* Case 4: a 100 MB line, fed in pieces, then one with no newline at all
 * before the end: each counted once, the buffer never larger than the
 * limit, the records around them kept. */
Test(hostile_record, case4_huge_lines_bounded)
{
	struct model	*m = model_create(NULL);
	struct record	 r;
	struct linebuf	 lb;
	struct feed_ctx	 c = { m, &r };
	const size_t	 piece = 1 << 20;
	char		*chunk = malloc(piece);
	const char	*good = "{\"executor_id\":\"A\",\"execution_time_ms\":1}\n";
	size_t		 i;

	record_init(&r);
	memset(chunk, 'q', piece);
	linebuf_init(&lb, 1 << 20);
	linebuf_feed(&lb, good, strlen(good), feed_line, &c);
	for (i = 0; i < 100; i++) {
		linebuf_feed(&lb, chunk, piece, feed_line, &c);
		cr_assert_leq(lb.cap, (size_t)1 << 20);
	}
	linebuf_feed(&lb, "\n", 1, feed_line, &c);
	linebuf_feed(&lb, good, strlen(good), feed_line, &c);
	cr_assert_eq(m->records, 2);
	cr_assert_eq(m->invalid_by[REJECT_LINE_TOO_LONG], 1);
	/* The same with no newline before the end of the stream. */
	for (i = 0; i < 100; i++)
		linebuf_feed(&lb, chunk, piece, feed_line, &c);
	cr_assert_eq(linebuf_flush(&lb, feed_line, &c), 1);
	cr_assert_eq(m->invalid_by[REJECT_LINE_TOO_LONG], 2);
	cr_assert_eq(m->invalid, 2);
	cr_assert_leq(lb.cap, (size_t)1 << 20);
	/* A line of exactly the limit is a line (and here bad JSON). */
	linebuf_feed(&lb, chunk, piece, feed_line, &c);
	linebuf_feed(&lb, "\n", 1, feed_line, &c);
	cr_assert_eq(m->invalid_by[REJECT_INVALID_JSON], 1);
	cr_assert_eq(m->invalid_by[REJECT_LINE_TOO_LONG], 2);
	free(chunk);
	record_free(&r);
	linebuf_free(&lb);
	model_free(m);
}

/* Case 6: a flood of distinct ids (300,000 here; a million through the
 * binary in test_hostile_e2e.c) and of methods: the model stops at its
 * caps, counts what it dropped, and its table stays sized for the cap,
 * not for the input. */
Test(hostile_record, case6_flood_capped)
{
	struct model_limits	 lim = { .window = 50, .max_executors = 10000,
				    .max_methods = 256 };
	struct model		*m = model_create(&lim);
	struct record		 r;
	char			 line[160];
	size_t			 i, table_at_cap = 0;
	int			 len;

	record_init(&r);
	for (i = 0; i < 300000; i++) {
		len = snprintf(line, sizeof line, "{\"executor_id\":\"flood-%zu\","
		    "\"execution_time_ms\":1}", i);
		ingest_line_with(m, &r, "t", line, (size_t)len, i + 1, false);
		if (i + 1 == 10000)
			table_at_cap = m->table_size;
	}
	cr_assert_eq(m->nexecs, 10000);
	cr_assert_eq(m->records, 10000);
	cr_assert_eq(m->dropped_records, 290000);
	cr_assert_eq(m->invalid, 0);
	cr_assert_eq(m->table_size, table_at_cap, "table grew past the cap");
	cr_assert_leq(m->execs_cap, 2 * 10000);
	/* Known ids still count after the cap. */
	len = snprintf(line, sizeof line, "{\"executor_id\":\"flood-5\"}");
	ingest_line_with(m, &r, "t", line, (size_t)len, 0, false);
	cr_assert_eq(model_find(m, "flood-5")->runs, 2);
	cr_assert_eq(m->dropped_records, 290000);

	/* Methods: 100,000 distinct names on one executor. */
	for (i = 0; i < 100000; i++) {
		len = snprintf(line, sizeof line, "{\"executor_id\":\"flood-0\","
		    "\"method_calls\":[{\"class_name\":\"C\",\"method_name\":"
		    "\"m%zu\"},{\"method_name\":\"same\"}]}", i);
		ingest_line_with(m, &r, "t", line, (size_t)len, 0, false);
	}
	{
		struct executor	*ex = model_find(m, "flood-0");

		cr_assert_eq(ex->nmethods, 256);
		cr_assert_leq(ex->methods_cap, 512);
		cr_assert_eq(ex->runs, 100001);
		/* "same" came second on the first line: kept, all 100,000. */
		for (i = 0; i < ex->nmethods; i++) {
			if (strcmp(ex->methods[i].name, "same") == 0)
				break;
		}
		cr_assert_lt(i, ex->nmethods);
		cr_assert_eq(ex->methods[i].calls, 100000);
		cr_assert_eq(ex->dropped_methods, 100000 - 255);
	}
	record_free(&r);
	model_free(m);
}
