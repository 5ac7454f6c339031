/*
 * metric.c - names, labels, units, print precision and the baseline delta
 * of the five metrics.
 */
#include <math.h>
#include <string.h>

#include "metric.h"

static const struct {
	const char	*name;
	const char	*label;
	const char	*unit;
} metric_table[METRIC_COUNT] = {
	[METRIC_EXEC_TIME] = { "execution_time_ms", "execution time", "ms" },
	[METRIC_MEM_FOOTPRINT] = { "memory_footprint_mb", "memory footprint", "MB" },
	[METRIC_MEM_PEAK] = { "memory_peak_mb", "memory peak", "MB" },
	[METRIC_SER_TIME] = { "serialization_time_ms", "serialization time", "ms" },
	[METRIC_SER_SIZE] = { "serialization_size_bytes", "serialization size", "bytes" },
};

const char *
metric_name(enum metric m)
{
	return metric_table[m].name;
}

const char *
metric_label(enum metric m)
{
	return metric_table[m].label;
}

const char *
metric_unit(enum metric m)
{
	return metric_table[m].unit;
}

int
metric_from_name(const char *name)
{
	int	i;

	for (i = 0; i < METRIC_COUNT; i++) {
		if (strcmp(metric_table[i].name, name) == 0)
			return i;
	}
	return -1;
}

double
metric_delta_percent(double base, double cur)
{
	if (isnan(base) || isnan(cur) || base == 0)
		return NAN;
	return (cur - base) / fabs(base) * 100.0;
}

int
metric_prec(enum metric m)
{
	return m == METRIC_SER_SIZE ? 0 : 2;
}
