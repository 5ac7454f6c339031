/*
 * view.h - what the screens show, copied out of the model and the
 * analysis at a refresh: table rows, alerts, bottlenecks, and each
 * executor's findings.
 *
 * The copy is what lets "pause" freeze the display while ingestion goes
 * on, and lets the screens sort, filter and scroll without holding
 * pointers into a model that keeps changing.  No ncurses, no statistics:
 * every number comes from the model's summaries or analysis_run().
 */
#ifndef EXECTOP_TUI_VIEW_H
#define EXECTOP_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "model.h"

struct baseline;

/* Executor table columns, in display order. */
enum view_col {
	COL_RANK,	/* rank by bottleneck score */
	COL_ID,
	COL_RUNS,
	COL_FAIL,
	COL_AVG,	/* mean execution time, every run */
	COL_NOW,	/* mean execution time, the window (the alerts') */
	COL_P95,
	COL_MEM,	/* mean memory footprint */
	COL_PEAK,	/* largest memory peak */
	COL_SER,	/* mean serialization time */
	COL_SERSIZE,	/* mean serialization size */
	COL_SCORE,
	COL_TREND,	/* sparkline: not sortable */
	COL_STATUS,
	COL_COUNT
};

/* One metric's finding for an executor (the strongest the analysis made). */
struct view_finding {
	bool			has;
	enum finding_kind	kind;
	enum severity		severity;
	double			threshold;
	double			delta_percent;
	double			p_value;
	uint64_t		samples;
	uint64_t		min_samples;
};

struct view_row {
	size_t			exec;		/* index in model->execs */
	char			*id;
	uint64_t		runs;
	uint64_t		failures;
	double			avg;
	double			now;	/* window mean exec time */
	double			p95;
	double			mem;
	double			peak;
	double			ser;
	double			sersize;
	double			score;
	unsigned		rank;		/* 1 = highest score */
	enum exec_status	status;
	double			spark[MODEL_SPARK_LEN];
	size_t			nspark;
	struct view_finding	f[METRIC_COUNT];
};

struct view_alert {
	char			*id;
	size_t			 exec;
	enum metric		 metric;
	enum severity		 severity;
	double			 baseline_value;
	double			 current_value;
	double			 delta_percent;
	double			 p_value;
	uint64_t		 samples;
	bool			 detected;	/* the change detector's */
	uint64_t		 change_run;
	double			 shift_percent;
};

struct view_bottleneck {
	char			*id;
	size_t			 exec;
	double			 score;
	double			 avg_time_ms;
	double			 avg_memory_mb;
	double			 avg_ser_time_ms;
	char			*slowest;		/* NULL when none */
	double			 slowest_ms;
	char			*memory;		/* NULL when none */
	double			 memory_mb;
	const char		*recommendation;	/* static text */
};

struct view {
	struct view_row		*rows;		/* model order */
	size_t			 nrows;
	size_t			*order;		/* filtered, sorted: rows[] */
	size_t			 norder;
	struct view_alert	*alerts;	/* critical first */
	size_t			 nalerts;
	size_t			 ncritical;
	struct view_bottleneck	*bns;
	size_t			 nbns;
	size_t			 nimprovements;
	size_t			 npending;
	size_t			 nfresh;
	char			**missing;	/* baseline ids with no run */
	size_t			 nmissing;
	uint64_t		 records;	/* model->records at build */
	int			 id_width;	/* widest executor id */

	/* Caches that keep big tables cheap (view.c's own): rows whose
	 * executor has no new run are copied, not summarized again; the
	 * filter is matched once per row; a sort with the same column and
	 * filter starts from the last order (insertion sort, nearly sorted)
	 * and so do the ranks. */
	const struct model	*model;		/* the rows' model */
	signed char		*match;		/* per row: 1, 0, -1 unknown */
	char			*match_filter;	/* what match[] was made for */
	bool			 order_valid;	/* order[0..nsorted) by: */
	size_t			 nsorted;
	enum view_col		 order_col;
	bool			 order_reverse;
	size_t			 order_nrows;	/* rows when it was made */
	size_t			*rank_idx;	/* rows by score, descending */
	size_t			 nrank;
	size_t			*id_idx;	/* rows by id */
	size_t			 nid;
	uint32_t		*id_rank;	/* per row: place in id_idx */
	size_t			 rows_cap;	/* rows[] is updated in place */
};

/* Replaces v's contents with a copy of the model and analysis (an
 * analysis of this very model state).  Order is left empty until
 * view_order().  v must be zeroed before its first build. */
void		 view_build(struct view *, const struct model *,
		    const struct analysis *);
void		 view_free(struct view *);
/* Copies the executors of the baseline (may be NULL) that have no run in
 * the model into v->missing; after view_build(). */
void		 view_set_missing(struct view *, const struct baseline *,
		    const struct model *);

/* Filters (case-insensitive substring of the id; NULL or "" keeps all)
 * and sorts by col (its natural direction, flipped by reverse); ties by
 * id.  COL_TREND sorts like COL_SCORE. */
void		 view_order(struct view *, enum view_col, bool reverse,
		    const char *filter);
/* Position in order of the executor with this id, or -1. */
long		 view_find(const struct view *, const char *id);

const char	*view_col_title(enum view_col);
/* Whether numbers sort largest first by default (everything but rank
 * and id). */
bool		 view_col_desc(enum view_col);

/* Regressions: +1 / -1 when b has a (exec, metric) regression that a has
 * not / a has one b has not; counts both ways.  For the threshold
 * editor's "raises N, clears M". */
void		 view_alert_diff(const struct analysis *a,
		    const struct analysis *b, size_t *raised, size_t *cleared);

#endif
