/*
 * test_record.c - parsing one line: every field, and each rejection
 * reason.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

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

static int
parse(const char *line, enum reject_reason *why)
{
	char	detail[160];

	return record_parse(&rec, line, strlen(line), why, detail, sizeof detail);
}

/* Asserts that line is rejected for the given reason. */
static void
expect_reject(const char *line, size_t len, enum reject_reason want)
{
	enum reject_reason	why = REJECT_COUNT;
	char			detail[160];
	const char		*p;

	cr_assert_eq(record_parse(&rec, line, len, &why, detail, sizeof detail), -1,
	    "accepted: %s", line);
	cr_assert_eq(why, want, "%s: got %s, want %s", line,
	    record_reject_name(why), record_reject_name(want));
	for (p = detail; *p != '\0'; p++)
		cr_assert(*p >= 0x20 && *p < 0x7f, "detail not printable");
	record_clear(&rec);
}

#define REJECT(s, r) expect_reject((s), strlen(s), (r))

TestSuite(record, .init = setup, .fini = teardown);

Test(record, full_record)
{
	enum reject_reason	why;

	cr_assert_eq(parse("{\"executor_id\":\"D1-Q1\",\"execution_time_ms\":12.5,"
	    "\"memory_footprint_mb\":-3,\"memory_peak_mb\":100,"
	    "\"serialization_time_ms\":1.5,\"serialization_size_bytes\":2048,"
	    "\"success\":false,\"error\":\"boom\",\"timestamp\":\"2026-11-27T10:00:00Z\","
	    "\"unknown_field\":[1,2],\"method_calls\":[{\"class_name\":\"A\","
	    "\"method_name\":\"run\",\"execution_time_ms\":10,\"memory_delta_mb\":1,"
	    "\"call_count\":3,\"success\":true,\"error\":null}]}", &why), 0);
	cr_assert_str_eq(rec.executor_id, "D1-Q1");
	cr_assert_eq(rec.v[METRIC_EXEC_TIME], 12.5);
	cr_assert_eq(rec.v[METRIC_MEM_FOOTPRINT], -3);
	cr_assert_eq(rec.v[METRIC_SER_SIZE], 2048);
	cr_assert_not(rec.success);
	cr_assert_str_eq(rec.error, "boom");
	cr_assert_eq(rec.timestamp, 1795773600.0);
	cr_assert_eq(rec.nmethods, 1);
	cr_assert_str_eq(rec.methods[0].class_name, "A");
	cr_assert_eq(rec.methods[0].call_count, 3);
}

Test(record, missing_numbers_are_absent)
{
	enum reject_reason	why;

	cr_assert_eq(parse("{\"executor_id\":\"x\",\"memory_peak_mb\":null}", &why), 0);
	cr_assert(isnan(rec.v[METRIC_EXEC_TIME]));
	cr_assert(isnan(rec.v[METRIC_MEM_PEAK]));
	cr_assert(rec.success);
	cr_assert_null(rec.error);
	cr_assert(isnan(rec.timestamp));
}

Test(record, epoch_and_offset_timestamps)
{
	enum reject_reason	why;

	cr_assert_eq(parse("{\"executor_id\":\"x\",\"timestamp\":1700000000.25}", &why), 0);
	cr_assert_eq(rec.timestamp, 1700000000.25);
	record_clear(&rec);
	cr_assert_eq(parse("{\"executor_id\":\"x\",\"timestamp\":\"2026-11-27T12:00:00.5+02:00\"}", &why), 0);
	cr_assert_eq(rec.timestamp, 1795773600.5);
}

Test(record, invalid_json)
{
	REJECT("not json", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\"", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\"} {\"executor_id\":\"y\"}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"executor_id\":\"y\"}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":NaN}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":1e309}", REJECT_INVALID_JSON);
	REJECT("{\"executor_id\":\"\xff\xfe\"}", REJECT_INVALID_JSON);
	expect_reject("{\"executor_id\":\"a\0b\"}", 20, REJECT_INVALID_JSON);
}

Test(record, not_object)
{
	REJECT("[1,2]", REJECT_NOT_OBJECT);
	REJECT("\"str\"", REJECT_NOT_OBJECT);
	REJECT("42", REJECT_NOT_OBJECT);
	REJECT("null", REJECT_NOT_OBJECT);
}

Test(record, executor_id)
{
	char	line[600];

	REJECT("{\"execution_time_ms\":1}", REJECT_MISSING_ID);
	REJECT("{\"executor_id\":5}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":null}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":\"\"}", REJECT_INVALID_ID);
	REJECT("{\"executor_id\":\"a\\u0000b\"}", REJECT_INVALID_ID);
	snprintf(line, sizeof line, "{\"executor_id\":\"%0257d\"}", 0);
	REJECT(line, REJECT_INVALID_ID);
}

Test(record, wrong_types)
{
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":\"12\"}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"success\":\"yes\"}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"error\":5}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":{}}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[1]}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"class_name\":\"A\"}]}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":1.5}]}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"timestamp\":\"yesterday\"}", REJECT_WRONG_TYPE);
	REJECT("{\"executor_id\":\"x\",\"timestamp\":true}", REJECT_WRONG_TYPE);
}

Test(record, out_of_range)
{
	REJECT("{\"executor_id\":\"x\",\"execution_time_ms\":-1}", REJECT_OUT_OF_RANGE);
	REJECT("{\"executor_id\":\"x\",\"serialization_size_bytes\":-5}", REJECT_OUT_OF_RANGE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":9007199254740993}]}", REJECT_OUT_OF_RANGE);
	REJECT("{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"execution_time_ms\":-2}]}", REJECT_OUT_OF_RANGE);
}

Test(record, reason_names_are_distinct)
{
	int	i, j;

	for (i = 0; i < REJECT_COUNT; i++)
		for (j = i + 1; j < REJECT_COUNT; j++)
			cr_assert_str_neq(record_reject_name(i), record_reject_name(j));
}

/* Unknown field names are kept (the first RECORD_MAX_UNKNOWN), known ones
 * and keys inside an unknown field's value are not. */
Test(record, unknown_field_names_are_kept)
{
	enum reject_reason	why;

	cr_assert_eq(parse("{\"executor_id\":\"a\",\"exec_time_ms\":1,"
	    "\"o\":{\"inner\":2},\"execution_time_ms\":3,\"method_calls\":"
	    "[{\"method_name\":\"m\",\"tiem\":1}],\"e\\u00e9\":0}", &why), 0);
	cr_assert_eq(rec.nunknown, 4);
	cr_assert_str_eq(rec.unknown[0], "exec_time_ms");
	cr_assert_str_eq(rec.unknown[1], "o");
	cr_assert_str_eq(rec.unknown[2], "tiem");
	cr_assert_str_eq(rec.unknown[3], "e\xc3\xa9");
	cr_assert_eq(rec.unknown_in_method, 1u << 2);
	cr_assert_float_eq(rec.v[METRIC_EXEC_TIME], 3, 1e-12);
	record_clear(&rec);
	cr_assert_eq(parse("{\"executor_id\":\"a\",\"a\":1,\"b\":1,\"c\":1,"
	    "\"d\":1,\"e\":1}", &why), 0);
	cr_assert_eq(rec.nunknown, RECORD_MAX_UNKNOWN);
	cr_assert_str_eq(rec.unknown[3], "d");
	record_clear(&rec);
	cr_assert_eq(parse("{\"executor_id\":\"a\",\"success\":true}", &why), 0);
	cr_assert_eq(rec.nunknown, 0);
}
