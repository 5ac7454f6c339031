/*
 * config.h - exectop's configuration (YAML), with strict validation.
 *
 * Errors name the file, line and key: "config/exectop.yaml:12: key
 * 'thresholds.execution_time_ms': expected a number".
 */
#ifndef EXECTOP_CONFIG_H
#define EXECTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "metric.h"

enum snapshot_format_bit {
	SNAP_JSON = 1 << 0,
	SNAP_MARKDOWN = 1 << 1,
	SNAP_HTML = 1 << 2
};

struct config {
	char	*path;		/* file loaded, NULL for built-in defaults */
	char	*baseline;	/* resolved against the config's directory; may be NULL */

	bool	 has_threshold[METRIC_COUNT];
	double	 threshold[METRIC_COUNT];	/* percent */
	double	 critical_factor;		/* >= 1, default 2 */
	unsigned min_samples;			/* >= 1, default 5 */
	double	 significance;			/* [0, 1), 0 = off, default 0.05 */
	size_t	 window;			/* runs, 0 = every run, default 50 */

	size_t	 top_n;				/* bottleneck.top_n, default 10 */
	double	 weight[METRIC_COUNT];		/* bottleneck.weights; only exec
						   time, footprint, ser. time */

	unsigned refresh_ms;			/* ui.refresh_ms, default 250 */
	char	*theme;				/* ui.theme, default "default" */
	char	*snapshot_dir;			/* snapshot.dir, default "." */
	unsigned snapshot_formats;		/* SNAP_* bits, default all */

	size_t	 max_executors;			/* limits.max_executors, 10000 */
	size_t	 max_methods;			/* limits.max_methods, 256 */
	size_t	 max_line_bytes;		/* limits.max_line_bytes, 1 MiB */
};

/* Where the configuration comes from: config_find()'s answer. */
struct config_source {
	char		*path;		/* malloc'd; NULL: built-in defaults */
	const char	*origin;	/* "-c", "$EXECTOP_CONFIG", ... */
};

/*
 * Picks the config file: arg (the -c option, may be NULL), else
 * $EXECTOP_CONFIG (non-empty), else $XDG_CONFIG_HOME/exectop/config.yaml
 * or ~/.config/exectop/config.yaml when it exists, else the installed
 * PREFIX/share/exectop/exectop.yaml when it exists, else none.  A file
 * named by arg or $EXECTOP_CONFIG need not exist (loading it says so).
 */
void	config_find(const char *arg, struct config_source *src);

/* Fills built-in defaults (owns no file). */
void	config_defaults(struct config *);
/*
 * Loads path over the defaults.  On error returns -1, leaves *cfg as
 * defaults, and sets *cause (malloc'd, "file:line: key 'k': reason").
 * A missing file is an error here; callers that accept "missing means
 * defaults" check for it first.
 */
int	config_load(struct config *cfg, const char *path, char **cause);
void	config_free(struct config *);
/* Deep copy. */
void	config_copy(struct config *dst, const struct config *src);

/*
 * Writes cfg's thresholds, critical_factor, min_samples and significance
 * back into cfg->path, replacing the scalar values in place so comments
 * and layout are kept; keys absent from the file are added.  Atomic.
 */
int	config_write_back(const struct config *cfg, char **cause);

#endif
