/*
 * model.h - the one model every view reads: per-executor aggregates.
 *
 * Ingestion calls model_add_record(); analysis, the TUI and the report
 * writers only read.  Memory is bounded by the number of executors and
 * methods (both capped) and the window size, never by the number of
 * records.
 */
#ifndef EXECTOP_MODEL_H
#define EXECTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect.h"
#include "metric.h"
#include "record.h"
#include "sketch.h"
#include "stats.h"

#define MODEL_SPARK_LEN		64	/* recent execution times kept for sparklines */
#define MODEL_REJECTIONS	8	/* last rejections kept for display */
#define MODEL_DETAIL_LEN	160

/* The last `cap` values of one metric, oldest first from `head`. */
struct window {
	double		*vals;
	uint32_t	 cap;
	uint32_t	 len;
	uint32_t	 head;	/* index of the next write */
};

struct metric_stats {
	struct stat_acc	all;	/* every run since start */
	struct sketch	sketch;	/* quantiles of every run */
	struct window	recent;	/* last `window` runs (unused when window 0) */
	struct detect_ref ref;	/* from the baseline (model_set_reference) */
	struct detect	det;	/* the change detector, one step per run */
	/* Memos of executor_summary_all and executor_moments_recent, kept
	 * until the next run of this metric (or window change): a refresh
	 * recomputes only the executors that got new runs. */
	struct summary	memo_all;
	struct summary	memo_recent;
	bool		memo_all_ok;
	bool		memo_recent_ok;
};

struct method_stats {
	char		*name;		/* "Class.method" (or "method" without class) */
	uint64_t	 entries;	/* method_calls entries seen */
	uint64_t	 calls;		/* sum of call_count */
	uint64_t	 failures;	/* entries with success false */
	uint64_t	 time_n;	/* entries with execution_time_ms */
	double		 total_time_ms;
	double		 max_time_ms;	/* largest single entry */
	uint64_t	 mem_n;		/* entries with memory_delta_mb */
	double		 mem_delta_sum;
	char		*last_error;
};

struct executor {
	char			*id;
	size_t			 index;		/* position in model->execs */
	uint64_t		 runs;
	uint64_t		 failures;
	char			*last_error;
	double			 first_ts;	/* NAN when no timestamp seen */
	double			 last_ts;
	struct metric_stats	 m[METRIC_COUNT];
	double			 spark[MODEL_SPARK_LEN];	/* ring of execution times */
	uint32_t		 spark_len;
	uint32_t		 spark_head;
	struct method_stats	*methods;
	size_t			 nmethods;
	size_t			 methods_cap;
	uint64_t		 dropped_methods;	/* over limits.max_methods */
};

/* Unknown field names seen in accepted records, the most frequent kept. */
#define MODEL_UNKNOWN_FIELDS	16
#define MODEL_UNKNOWN_NAME_LEN	64

struct unknown_field {
	char		name[MODEL_UNKNOWN_NAME_LEN];	/* "k" or "method_calls[].k" */
	uint64_t	count;		/* records that had it */
};

struct rejection {
	char			source[64];
	uint64_t		line;
	enum reject_reason	reason;
	char			detail[MODEL_DETAIL_LEN];
};

/* One baseline executor's detector references. */
struct model_ref {
	char			*id;
	struct detect_ref	 ref[METRIC_COUNT];
};

struct model_limits {
	size_t	window;		/* runs in the recent window; 0 = every run */
	size_t	max_executors;
	size_t	max_methods;	/* per executor */
};

struct model {
	struct executor	**execs;	/* in order of first appearance */
	size_t		  nexecs;
	size_t		  execs_cap;
	struct executor	**table;	/* open-addressing hash on id */
	size_t		  table_size;

	struct model_limits limits;

	uint64_t	  records;	/* accepted records */
	uint64_t	  invalid;	/* rejected lines */
	uint64_t	  invalid_by[REJECT_COUNT];
	uint64_t	  dropped_records;	/* new executor over max_executors */
	struct rejection  rejections[MODEL_REJECTIONS];
	unsigned	  rej_head;
	unsigned	  rej_count;

	struct unknown_field unknown[MODEL_UNKNOWN_FIELDS];	/* by count */
	unsigned	  nunknown;
	uint64_t	  unknown_other;	/* sightings of names past the table */
	uint64_t	  no_metric;	/* records with no known metric at all */

	uint64_t	  generation;	/* bumped on every change */

	struct model_ref *refs;		/* sorted by id */
	size_t		  nrefs;
};

struct baseline;
struct config;

/* Method and executor limits: 0 means the default (10000 / 256). */
struct model	*model_create(const struct model_limits *);
void		 model_free(struct model *);

/* Adds one run.  Returns 0, or -1 when the record was dropped because
 * max_executors is reached (counted in dropped_records). */
int		 model_add_record(struct model *, const struct record *);
/* Counts a rejected line and keeps it among the last few rejections. */
void		 model_reject(struct model *, const char *source, uint64_t line,
		    enum reject_reason, const char *detail);
/*
 * "exec_time_ms 120, succes 3" (the most frequent unknown field names,
 * counts) into buf; "" when there are none.  Untrusted text: escape it
 * for the output.
 */
void		 model_unknown_summary(const struct model *, char *buf,
		    size_t len);
/* The i-th most recent rejection (0 = newest), NULL past the end. */
const struct rejection *model_rejection(const struct model *, unsigned);

/* Sets the detectors' references from the baseline (median and spread of
 * each metric) and the config (thresholds; the target average run length
 * between false alarms is MODEL_ARL_SCALE (5000) / significance
 * runs).  A detector whose
 * reference changes restarts; an unchanged one keeps its state, so this
 * may be called whenever the baseline or config may have changed.  NULL
 * baseline or significance 0: every detector idle (the analysis then
 * uses the window rule). */
void		 model_set_reference(struct model *, const struct baseline *,
		    const struct config *);
/* Copies the newest min(max, window length) values of metric k, oldest
 * first; returns how many. */
size_t		 executor_recent_values(const struct executor *, enum metric,
		    double *out, size_t max);

struct executor	*model_find(const struct model *, const char *id);
/* Changes the recent-window size, keeping the newest values. */
void		 model_set_window(struct model *, size_t);

/* Summary of every run of one metric (quantiles from the sketch). */
void		 executor_summary_all(const struct executor *, enum metric,
		    struct summary *);
/* Summary of the recent window (exact quantiles); every run when the
 * window is 0. */
void		 executor_summary_recent(const struct executor *,
		    const struct model *, enum metric, struct summary *);
/* Count, mean, variance, min and max of the recent window (every run when
 * the window is 0), without the quantiles: no sort, no allocation.  What
 * the regression rules need, cheap enough for every refresh. */
void		 executor_moments_recent(const struct executor *,
		    const struct model *, enum metric, struct summary *);
/* Mean time per call of a method, NAN when unknown. */
double		 method_mean_time(const struct method_stats *);
/* Mean memory delta per entry, NAN when unknown. */
double		 method_mean_mem(const struct method_stats *);
/* Copies the sparkline values oldest first into out (MODEL_SPARK_LEN);
 * returns how many. */
size_t		 executor_spark(const struct executor *, double *out);

#endif
