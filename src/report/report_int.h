/*
 * report_int.h - declarations shared by the report writers (private to
 * src/report).
 *
 * Each writer renders the model and the analysis it is handed; none of
 * them computes statistics.  The helpers here only format values.
 */
#ifndef EXECTOP_REPORT_INT_H
#define EXECTOP_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "metric.h"

struct report_ctx;
struct executor;

/* One writer per format; each returns 0, or -1 on a write error. */
int		 report_json_write(FILE *, const struct report_ctx *);
int		 report_markdown_write(FILE *, const struct report_ctx *);
int		 report_html_write(FILE *, const struct report_ctx *);
int		 report_junit_write(FILE *, const struct report_ctx *);

/* "2026-11-27T10:00:00Z" (UTC) into buf. */
const char	*report_iso8601(time_t, char *buf, size_t len);

/* v with prec decimals into buf, or "-" when v is NaN or infinite. */
const char	*report_fmt(char *buf, size_t len, double v, int prec);
/* A signed percentage ("+12.5%"), or "-" when not finite. */
const char	*report_fmt_pct(char *buf, size_t len, double v);
/* A p-value as the TUI shows it: "0.0123", "<0.0001", "-" when NaN. */
const char	*report_fmt_p(char *buf, size_t len, double p);
/* Decimals used to show a metric (0 for bytes, 2 otherwise). */
int		 report_metric_prec(enum metric);

/* The three rankings of struct analysis, with the metric each is
 * ordered by. */
enum report_rank {
	RANK_SLOWEST,
	RANK_MEMORY,
	RANK_SERIALIZATION,
	RANK_COUNT
};
const char	*report_rank_name(enum report_rank);	/* JSON key */
const char	*report_rank_title(enum report_rank);	/* heading */
enum metric	 report_rank_metric(enum report_rank);
/* The ranking's executors; *n is how many. */
const struct executor *const *report_rank_list(const struct report_ctx *,
		    enum report_rank, size_t *n);
/* The average the ranking used for ex (read from the model), NAN when
 * none. */
double		 report_rank_value(const struct executor *, enum report_rank);

/* Success rate of one executor, 0..1, NAN without runs. */
double		 report_success_rate(const struct executor *);

#endif
