/*
 * record.h - one profiler record (a JSON line) parsed and validated.
 *
 * record_parse() turns exactly one line into a struct record or a
 * rejection reason, with yajl's streaming parser (no tree per line).  The
 * record's strings point into a buffer it owns; they are valid until
 * record_clear().  The model copies what it keeps.  record_parse_jansson()
 * is the reference reader (a jansson DOM) the differential test and fuzz
 * target compare it with.
 */
#ifndef EXECTOP_RECORD_H
#define EXECTOP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metric.h"

#define RECORD_MAX_ID_BYTES	256
#define RECORD_MAX_UNKNOWN	4	/* unknown field names kept per record */

enum reject_reason {
	REJECT_INVALID_JSON,	/* not JSON, truncated, bad UTF-8, NUL, trailing data */
	REJECT_NOT_OBJECT,	/* an array, string, number... */
	REJECT_MISSING_ID,	/* no executor_id */
	REJECT_INVALID_ID,	/* executor_id not a string, empty, too long, NUL */
	REJECT_WRONG_TYPE,	/* a known field has the wrong type */
	REJECT_OUT_OF_RANGE,	/* negative time/size, non-finite, huge call_count */
	REJECT_LINE_TOO_LONG,	/* longer than max_line_bytes */
	REJECT_NO_RECORD_FIELD,	/* a Redis stream entry without a record field */
	REJECT_COUNT
};

struct record_method {
	const char	*class_name;	/* "" when absent */
	const char	*method_name;
	double		 exec_time_ms;	/* NAN when absent */
	double		 mem_delta_mb;	/* NAN when absent */
	uint64_t	 call_count;	/* 1 when absent */
	bool		 success;	/* true when absent */
	const char	*error;		/* NULL when absent or null */
};

struct record {
	void			*json;		/* owned json_t * (jansson reader) */
	char			*strbuf;	/* the strings (yajl reader) */
	size_t			 strused;
	size_t			 strcap;
	struct record_keyset	*keyset;	/* unknown keys seen (yajl reader) */
	const char		*executor_id;
	double			 v[METRIC_COUNT];	/* NAN when absent */
	bool			 success;	/* true when absent */
	const char		*error;		/* NULL when absent or null */
	double			 timestamp;	/* epoch seconds, NAN when absent */
	struct record_method	*methods;
	size_t			 nmethods;
	size_t			 methods_cap;
	/*
	 * Fields the reader does not know (a typo such as "exec_time_ms"):
	 * the first RECORD_MAX_UNKNOWN names, bit i of unknown_in_method set
	 * when unknown[i] was a key of a method_calls object.  Filled by the
	 * yajl reader only.
	 */
	const char		*unknown[RECORD_MAX_UNKNOWN];
	unsigned		 nunknown;
	unsigned		 unknown_in_method;
};

/* Short stable name of a reason, e.g. "invalid_json". */
const char	*record_reject_name(enum reject_reason);

void	record_init(struct record *);
/*
 * Parses buf[0..len) (no newline).  Returns 0 and fills r, or -1 and sets
 * *why and a short, printable detail (at most detail_len bytes including
 * the NUL; the detail never contains control characters).  Call
 * record_clear() after either outcome before reusing r.
 */
int	record_parse(struct record *r, const char *buf, size_t len,
	    enum reject_reason *why, char *detail, size_t detail_len);
/* The reference reader: the same contract and reasons, through a jansson
 * DOM, except that it also rejects duplicate unknown keys. */
int	record_parse_jansson(struct record *r, const char *buf, size_t len,
	    enum reject_reason *why, char *detail, size_t detail_len);
/* Releases the JSON value; r may be parsed into again. */
void	record_clear(struct record *);
/* Frees the method array too. */
void	record_free(struct record *);

/* Parses an ISO-8601 date-time ("2026-11-27T10:00:00Z", with optional
 * fraction and offset) to epoch seconds; NAN when not one. */
double	record_parse_iso8601(const char *);

#endif
