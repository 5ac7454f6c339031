/*
 * report.h - report writers (JSON, Markdown, HTML, JUnit XML) over the
 * same model and analysis.  Text from the stream is escaped for each
 * format.
 */
#ifndef EXECTOP_REPORT_H
#define EXECTOP_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct model;
struct analysis;
struct baseline;
struct config;

enum report_format { REPORT_JSON, REPORT_MARKDOWN, REPORT_HTML, REPORT_JUNIT };

struct report_ctx {
	const struct model	*model;
	const struct analysis	*analysis;
	const struct baseline	*baseline;	/* may be NULL */
	const struct config	*config;
	time_t			 now;		/* report timestamp */
	const char		*sources;	/* description, e.g. "run.jsonl" */
	/* The CI gate (report --fail-on): regressions at or above this
	 * severity are JUnit failures.  SEV_WARNING or SEV_CRITICAL, -1 for
	 * never; 0 (SEV_NONE, a zeroed ctx) means SEV_CRITICAL. */
	int			 fail_on;
	/* Why the input cannot be trusted (no valid record, too many
	 * invalid ones: report exits 3), NULL when it can.  JUnit shows it
	 * as a failed test case, JSON as "input_error". */
	const char		*input_error;
	/* report --fail-on-missing: executors of the baseline with no run
	 * are JUnit failures (else skipped). */
	bool			 fail_on_missing;
};

/* -1 when not a format name ("json", "markdown"/"md", "html", "junit"). */
int		 report_format_from_name(const char *);
/* "json", "md", "html", "xml". */
const char	*report_format_ext(enum report_format);

/* Returns 0, or -1 on a write error (errno set). */
int		 report_write(FILE *, enum report_format, const struct report_ctx *);
/* Writes path atomically; -1 with *cause set on error. */
int		 report_save(const char *path, enum report_format,
		    const struct report_ctx *, char **cause);

/* Name suffixes tried before a snapshot gives up. */
#define REPORT_SNAPSHOT_TRIES	100
/* Writes one report per format into dir as exectop-STAMP.EXT (STAMP-1,
 * -2 ... when any name is taken), created exclusively (link(2): nothing
 * there is replaced or written through) and all or none: on failure no
 * file of the set is left.  *base_out (the name without extension) is
 * for the caller to free.  -1 with *cause set. */
int		 report_snapshot(const char *dir, const char *stamp,
		    const enum report_format *, size_t,
		    const struct report_ctx *, char **base_out, char **cause);

/* The JSON document (a jansson json_t *, returned as void * so callers
 * need not include jansson); the caller json_decref()s it. */
void		*report_json_build(const struct report_ctx *);

#endif
