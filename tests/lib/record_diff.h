/*
 * record_diff.h - the differential check between the two record readers
 * (issue 10): record_parse (yajl, streaming) and record_parse_jansson (the
 * reference).  Shared by tests/unit/test_record_diff.c and the record fuzz
 * target; header-only so the fuzz build needs nothing from tests/lib.
 */
#ifndef EXECTOP_RECORD_DIFF_H
#define EXECTOP_RECORD_DIFF_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

static inline int
record_diff_num(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) != isnan(b);
	return a != b;
}

static inline int
record_diff_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/*
 * Parses line with both readers.  Returns NULL when they agree (the same
 * outcome, the same reason, the same values), else what differs (a
 * static buffer).
 */
static inline const char *
record_diff(const char *line, size_t len)
{
	static char		 msg[512];
	struct record		 a, b;
	enum reject_reason	 wa = REJECT_COUNT, wb = REJECT_COUNT;
	char			 da[160], db[160];
	int			 ra, rb, k;
	size_t			 i;
	const char		*bad = NULL;

	record_init(&a);
	record_init(&b);
	ra = record_parse(&a, line, len, &wa, da, sizeof da);
	rb = record_parse_jansson(&b, line, len, &wb, db, sizeof db);
	if (ra != rb) {
		snprintf(msg, sizeof msg, "yajl %s (%s: %s), jansson %s (%s: %s)",
		    ra == 0 ? "accepts" : "rejects", ra == 0 ? "-" :
		    record_reject_name(wa), ra == 0 ? "" : da,
		    rb == 0 ? "accepts" : "rejects", rb == 0 ? "-" :
		    record_reject_name(wb), rb == 0 ? "" : db);
		bad = msg;
	} else if (ra == -1 && wa != wb && !(wa == REJECT_INVALID_JSON &&
	    wb == REJECT_NOT_OBJECT && memchr(line, '\0', len) != NULL)) {
		/* Known, allowed difference: jansson ends a bare top-level
		 * number at a NUL byte ("7\0" is "not an object" to it);
		 * yajl calls the NUL trailing garbage.  Both reject. */
		snprintf(msg, sizeof msg, "yajl %s (%s), jansson %s (%s)",
		    record_reject_name(wa), da, record_reject_name(wb), db);
		bad = msg;
	} else if (ra == 0) {
		if (record_diff_str(a.executor_id, b.executor_id))
			bad = "executor_id";
		for (k = 0; bad == NULL && k < METRIC_COUNT; k++) {
			if (record_diff_num(a.v[k], b.v[k]))
				bad = metric_name(k);
		}
		if (bad == NULL && a.success != b.success)
			bad = "success";
		if (bad == NULL && record_diff_str(a.error, b.error))
			bad = "error";
		if (bad == NULL && record_diff_num(a.timestamp, b.timestamp))
			bad = "timestamp";
		if (bad == NULL && a.nmethods != b.nmethods)
			bad = "number of methods";
		for (i = 0; bad == NULL && i < a.nmethods; i++) {
			const struct record_method *x = &a.methods[i],
			    *y = &b.methods[i];

			if (record_diff_str(x->class_name, y->class_name) ||
			    record_diff_str(x->method_name, y->method_name) ||
			    record_diff_num(x->exec_time_ms, y->exec_time_ms) ||
			    record_diff_num(x->mem_delta_mb, y->mem_delta_mb) ||
			    x->call_count != y->call_count ||
			    x->success != y->success ||
			    record_diff_str(x->error, y->error))
				bad = "a method call";
		}
		if (bad != NULL) {
			snprintf(msg, sizeof msg, "both accept, %s differs", bad);
			bad = msg;
		}
	}
	record_free(&a);
	record_free(&b);
	return bad;
}

#endif
