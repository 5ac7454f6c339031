/*
 * metric.h - the five numeric metrics of an executor run.
 *
 * Every table in the model, the analysis, the baseline and the reports is
 * indexed by enum metric, so adding a metric is one line here.
 */
#ifndef EXECTOP_METRIC_H
#define EXECTOP_METRIC_H

enum metric {
	METRIC_EXEC_TIME,	/* execution_time_ms */
	METRIC_MEM_FOOTPRINT,	/* memory_footprint_mb (end minus start) */
	METRIC_MEM_PEAK,	/* memory_peak_mb */
	METRIC_SER_TIME,	/* serialization_time_ms */
	METRIC_SER_SIZE,	/* serialization_size_bytes */
	METRIC_COUNT
};

/* JSON/YAML key, e.g. "execution_time_ms". */
const char	*metric_name(enum metric);
/* Human label, e.g. "execution time". */
const char	*metric_label(enum metric);
/* Unit, e.g. "ms", "MB", "bytes". */
const char	*metric_unit(enum metric);
/* Index of a key, or -1 when the name is not a metric. */
int		 metric_from_name(const char *);
/*
 * Change of cur against the baseline mean base in percent, relative to
 * |base| so a negative baseline (memory footprint) keeps the sign of
 * cur - base.  NAN when base is 0 or either value is NAN.  The one
 * definition for the analysis, the TUI and the reports.
 */
double		 metric_delta_percent(double base, double cur);
/* Digits after the decimal point a metric is printed with: 0 for the
 * integral ones (serialization size in bytes), 2 for the others. */
int		 metric_prec(enum metric);

#endif
