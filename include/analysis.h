/*
 * analysis.h - findings computed from the model: bottleneck scores,
 * rankings, regressions against a baseline, improvements, pending and new
 * metrics, and a status per executor.
 *
 * analysis_run() only reads the model, the baseline and the config; every
 * view (TUI, JSON, Markdown, HTML) renders its result, never computing
 * statistics of its own.  Pointers into the model stay valid until the
 * model changes.
 */
#ifndef EXECTOP_ANALYSIS_H
#define EXECTOP_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metric.h"

struct model;
struct executor;
struct method_stats;
struct baseline;
struct config;

enum severity { SEV_NONE, SEV_WARNING, SEV_CRITICAL };

enum finding_kind {
	FINDING_REGRESSION,	/* delta above threshold, evidence holds */
	FINDING_IMPROVEMENT,	/* delta below -threshold, evidence holds */
	FINDING_PENDING,	/* fewer than min_samples runs in the window */
	FINDING_NEW		/* baseline missing or zero for this metric */
};

enum exec_status {
	STATUS_OK,
	STATUS_PENDING,
	STATUS_NEW,
	STATUS_IMPROVED,
	STATUS_WARN,
	STATUS_CRIT
};

struct finding {
	const struct executor	*ex;
	enum metric		 metric;
	enum finding_kind	 kind;
	enum severity		 severity;	/* regressions only */
	double			 threshold;	/* percent */
	double			 baseline_value;	/* NAN when missing */
	double			 current_value;	/* window mean */
	double			 delta_percent;	/* NAN when baseline 0/missing */
	double			 p_value;	/* NAN when the test was not run */
	uint64_t		 samples;	/* runs in the window */
	uint64_t		 min_samples;
	/* From the change detector (regressions and improvements it
	 * raised; detected false under the window rule): the estimated
	 * change point, the shift since it (percent, median of the runs
	 * since then in log space) with a 95% interval. */
	bool			 detected;
	uint64_t		 change_run;	/* that executor's run, 1-based */
	double			 change_ts;	/* NAN when unknown */
	uint64_t		 since_runs;	/* runs since the change point */
	double			 shift_percent;	/* NAN when not detected */
	double			 shift_lo;	/* percent */
	double			 shift_hi;
	char			 recommendation[160];
};

struct bottleneck {
	const struct executor	  *ex;
	double			   score;
	double			   avg_time_ms;
	double			   avg_memory_mb;
	double			   avg_ser_time_ms;
	const struct method_stats *slowest;		/* NULL when none */
	const struct method_stats *memory_intensive;	/* NULL when none */
	const char		  *recommendation;	/* static text */
};

struct analysis {
	/* Regressions: critical first, then by delta descending. */
	struct finding	 *regressions;
	size_t		  nregressions;
	size_t		  ncritical;
	struct finding	 *improvements;		/* by delta ascending */
	size_t		  nimprovements;
	struct finding	 *pending;
	size_t		  npending;
	struct finding	 *fresh;		/* kind FINDING_NEW */
	size_t		  nfresh;

	/* Indexed like model->execs. */
	double		 *score;
	enum exec_status *status;
	size_t		  nexecs;

	/* Top top_n by score, descending (ties by executor id). */
	struct bottleneck *bottlenecks;
	size_t		  nbottlenecks;

	/* Top top_n by average execution time, memory footprint and
	 * serialization time, descending (executors with that metric). */
	const struct executor **slowest;
	size_t		  nslowest;
	const struct executor **memory_intensive;
	size_t		  nmemory_intensive;
	const struct executor **serialization_heavy;
	size_t		  nserialization_heavy;

	/* Summary over all executors. */
	uint64_t	  total_runs;
	uint64_t	  total_failures;
	double		  total_execution_time_ms;
	double		  total_memory_mb;
	double		  avg_execution_time_ms;	/* over runs */
	double		  avg_memory_mb;
	double		  success_rate;			/* 0..1, NAN with no runs */
};

struct analysis	*analysis_run(const struct model *, const struct baseline *,
		    const struct config *);
void		 analysis_free(struct analysis *);

/* Bottleneck score from the three averages and the config's weights;
 * absent averages count as 0. */
double		 analysis_score(const struct config *, double avg_time,
		    double avg_mem, double avg_ser);

/*
 * The CI gate's policy (report --fail-on): fail_on is SEV_WARNING,
 * SEV_CRITICAL or -1 for never; anything else (0, a zeroed setting)
 * means SEV_CRITICAL.  analysis_gate_level() is that level (-1 for
 * never); analysis_gate_fails() whether a finding of severity sev fails
 * the gate; analysis_gate_failed() whether the analysis has one.
 */
int		 analysis_gate_level(int fail_on);
bool		 analysis_gate_fails(int fail_on, enum severity sev);
bool		 analysis_gate_failed(const struct analysis *, int fail_on);
/* "never", "warning", "critical" for a fail_on setting. */
const char	*analysis_gate_name(int fail_on);

const char	*severity_name(enum severity);	/* "warning", "critical" */
const char	*finding_kind_name(enum finding_kind);
const char	*exec_status_name(enum exec_status);	/* "OK", "WARN"... */

#endif
