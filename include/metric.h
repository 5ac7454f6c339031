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

#endif
