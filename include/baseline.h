/*
 * baseline.h - the reference statistics regressions are measured against.
 *
 * Stored as YAML (version 1):
 *   version: 1
 *   created: "2026-11-27T10:00:00Z"
 *   source: "run.jsonl"
 *   executors:
 *     D1-Q1:
 *       execution_time_ms: {n: 120, mean: 12.5, variance: 1.2, min: 10,
 *                           max: 15, p50: 12.4, p95: 14.1}
 * Loading also accepts the profiler's JSON baseline
 * ({executor_id: ExecutorMetrics}, one run each: n = 1).
 */
#ifndef EXECTOP_BASELINE_H
#define EXECTOP_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metric.h"

struct model;

#define BASELINE_VERSION 1

struct baseline_metric {
	bool		present;
	uint64_t	n;
	double		mean;
	double		variance;	/* NAN when unknown */
	double		min;
	double		max;
	double		p50;
	double		p95;
};

struct baseline_entry {
	char			*executor_id;
	struct baseline_metric	 m[METRIC_COUNT];
};

struct baseline {
	char			*path;		/* NULL when built in memory */
	char			*source;
	char			*created;
	int			 version;
	struct baseline_entry	*entries;	/* sorted by executor_id */
	size_t			 n;
};

/* Returns -1 and sets *cause ("file:line: key 'k': reason") on error. */
int	baseline_load(struct baseline **out, const char *path, char **cause);
/* From every run in the model (all-time statistics). */
struct baseline *baseline_from_model(const struct model *, const char *source);
/* Atomic write (temp file in the same directory, fsync, rename). */
int	baseline_save(const struct baseline *, const char *path, char **cause);
/* The same YAML to an open stream (baseline -o -); -1 on a write error. */
int	baseline_write(const struct baseline *, FILE *);
const struct baseline_entry *baseline_find(const struct baseline *,
	    const char *executor_id);
/* The executors of the baseline with no run in the model (sorted by id;
 * the ids point into the baseline): their count, *ids malloc'd (NULL
 * when none). */
size_t	baseline_missing(const struct baseline *, const struct model *,
	    const char ***ids);
void	baseline_free(struct baseline *);

#endif
