/*
 * config.c - exectop's configuration: built-in defaults and strict
 * loading of config/exectop.yaml (config_write.c writes tuned values
 * back, config_find.c picks the file).
 *
 * Loading goes through ydoc (no aliases, no duplicate keys, decimal
 * numbers only) and then checks every key against the table of what
 * exists: an unknown key, a wrong type or a value out of range is an error
 * naming file, line and dotted key.  The result is built in a temporary
 * struct and only moved into place when everything was valid.
 *
 * A threshold may be "off": that metric is not checked, even when it is
 * checked by default.
 */
#include <errno.h>
#include <pwd.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "config.h"
#include "metric.h"
#include "xmalloc.h"
#include "ydoc.h"
#include "ydoc_int.h"
#include "config_int.h"

/*
 * Defaults point at these arrays rather than at copies, so a struct
 * filled by config_defaults() owns no memory and can be overwritten or
 * freed either way; config_free() knows not to free them.
 */
static char config_default_theme[] = "default";
static char config_default_snapshot_dir[] = ".";

/* Metrics that take part in the bottleneck score. */
static const enum metric config_weighted[] = {
	METRIC_EXEC_TIME, METRIC_MEM_FOOTPRINT, METRIC_SER_TIME
};
#define CONFIG_NWEIGHTED (sizeof config_weighted / sizeof config_weighted[0])

static const struct {
	const char	*name;
	unsigned	 bit;
} config_formats[] = {
	{ "json", SNAP_JSON },
	{ "markdown", SNAP_MARKDOWN },
	{ "html", SNAP_HTML },
};
#define CONFIG_NFORMATS (sizeof config_formats / sizeof config_formats[0])

/* One load: the file name for messages and where the first error goes. */
struct config_ctx {
	const char	*file;
	char		**cause;
};

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->path = NULL;
	cfg->baseline = NULL;

	cfg->has_threshold[METRIC_EXEC_TIME] = true;
	cfg->threshold[METRIC_EXEC_TIME] = 20;
	cfg->has_threshold[METRIC_MEM_FOOTPRINT] = true;
	cfg->threshold[METRIC_MEM_FOOTPRINT] = 30;
	cfg->has_threshold[METRIC_MEM_PEAK] = true;
	cfg->threshold[METRIC_MEM_PEAK] = 30;
	cfg->has_threshold[METRIC_SER_TIME] = true;
	cfg->threshold[METRIC_SER_TIME] = 50;
	cfg->has_threshold[METRIC_SER_SIZE] = false;
	cfg->threshold[METRIC_SER_SIZE] = 0;

	cfg->critical_factor = 2;
	cfg->min_samples = 5;
	cfg->significance = 0.05;
	cfg->window = 50;

	cfg->top_n = 10;
	cfg->weight[METRIC_EXEC_TIME] = 0.5;
	cfg->weight[METRIC_MEM_FOOTPRINT] = 0.3;
	cfg->weight[METRIC_SER_TIME] = 0.2;

	cfg->refresh_ms = 250;
	cfg->theme = config_default_theme;
	cfg->snapshot_dir = config_default_snapshot_dir;
	cfg->snapshot_formats = SNAP_JSON | SNAP_MARKDOWN | SNAP_HTML;

	cfg->max_executors = 10000;
	cfg->max_methods = 256;
	cfg->max_line_bytes = 1048576;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->baseline);
	if (cfg->theme != config_default_theme)
		free(cfg->theme);
	if (cfg->snapshot_dir != config_default_snapshot_dir)
		free(cfg->snapshot_dir);
	config_defaults(cfg);
}

/* Copies a string field, sharing the built-in defaults. */
static char *
config_copy_string(const char *s)
{
	if (s == NULL)
		return NULL;
	if (s == config_default_theme || s == config_default_snapshot_dir)
		return (char *)s;
	return xstrdup(s);
}

void
config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	dst->path = config_copy_string(src->path);
	dst->baseline = config_copy_string(src->baseline);
	dst->theme = config_copy_string(src->theme);
	dst->snapshot_dir = config_copy_string(src->snapshot_dir);
}

/* ------------------------------------------------------------------------
 * Checking values.
 */

static int __attribute__((format(printf, 4, 5)))
config_error(struct config_ctx *ctx, int line, const char *key,
    const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = ydoc_vfail(ctx->cause, ctx->file, line, key, fmt, ap);
	va_end(ap);
	return rc;
}

/* A number in [min, max]; min_open/max_open make that end exclusive. */
static int
config_number(struct config_ctx *ctx, const struct ynode *node,
    const char *key, double min, bool min_open, double max, bool max_open,
    double *out)
{
	double	 v;
	char	*shown;
	int	 bad;

	if (ynode_double(node, ctx->file, key, &v, ctx->cause) != 0)
		return -1;
	bad = min_open ? !(v > min) : !(v >= min);
	if (!bad && !isinf(max))
		bad = max_open ? !(v < max) : !(v <= max);
	if (!bad) {
		*out = v;
		return 0;
	}
	shown = ydoc_clean(node->scalar);
	if (isinf(max)) {
		config_error(ctx, node->line, key, "must be %s %g, got %s",
		    min_open ? "more than" : "at least", min, shown);
	} else {
		config_error(ctx, node->line, key,
		    "must be from %g %s %g, got %s", min,
		    max_open ? "up to (not including)" : "to", max, shown);
	}
	free(shown);
	return -1;
}

static int
config_integer(struct config_ctx *ctx, const struct ynode *node,
    const char *key, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t	 v;
	char		*shown;

	if (ynode_uint(node, ctx->file, key, &v, ctx->cause) != 0)
		return -1;
	if (v < min || v > max) {
		shown = ydoc_clean(node->scalar);
		config_error(ctx, node->line, key,
		    "must be from %ju to %ju, got %s", (uintmax_t)min,
		    (uintmax_t)max, shown);
		free(shown);
		return -1;
	}
	*out = v;
	return 0;
}

static int
config_mapping(struct config_ctx *ctx, const struct ynode *node,
    const char *key)
{
	const char	*got;

	if (node->type == YNODE_MAP)
		return 0;
	if (node->type == YNODE_SEQ)
		got = "a sequence";
	else if (node->plain && *node->scalar == '\0')
		got = "nothing";
	else
		got = "a single value";
	return config_error(ctx, node->line, key,
	    "expected a mapping of keys, got %s", got);
}

static int
config_unknown(struct config_ctx *ctx, const struct ynode *map, size_t i,
    const char *prefix, const char *known)
{
	char	*key;
	int	 rc;

	key = prefix == NULL ? xstrdup(map->keys[i]) :
	    xasprintf("%s.%s", prefix, map->keys[i]);
	rc = config_error(ctx, map->key_lines[i], key,
	    "unknown key (expected one of: %s)", known);
	free(key);
	return rc;
}

/* "~/x" is under $HOME, or the user's home directory from the password
 * database when HOME is unset or empty (as a shell does); NULL when there
 * is neither, rather than a literal "./~". */
static char *
config_expand_home(const char *s)
{
	const char	*home;
	struct passwd	*pw;

	if (s[0] != '~' || s[1] != '/')
		return xstrdup(s);
	if ((home = getenv("HOME")) == NULL || *home == '\0') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || *home == '\0')
		return NULL;
	return xasprintf("%s%s", home, s + 1);
}

/* A non-empty string value, with "~/" expanded. */
static int
config_path_string(struct config_ctx *ctx, const struct ynode *node,
    const char *key, char **out)
{
	const char	*s;

	if (ynode_string(node, ctx->file, key, &s, ctx->cause) != 0)
		return -1;
	if (*s == '\0')
		return config_error(ctx, node->line, key, "must not be empty");
	if ((*out = config_expand_home(s)) == NULL)
		return config_error(ctx, node->line, key, "'~/' but HOME is "
		    "unset and the user has no home directory");
	return 0;
}

/* The baseline path: relative to the directory of the config file. */
static int
config_baseline(struct config_ctx *ctx, struct config *cfg,
    const struct ynode *node)
{
	const char	*s, *slash;
	char		*path;

	if (ynode_string(node, ctx->file, "baseline", &s, ctx->cause) != 0)
		return -1;
	free(cfg->baseline);
	cfg->baseline = NULL;
	if (*s == '\0' || (node->plain &&
	    (strcmp(s, "~") == 0 || strcmp(s, "null") == 0)))
		return 0;	/* no baseline */

	if ((path = config_expand_home(s)) == NULL)
		return config_error(ctx, node->line, "baseline", "'~/' but "
		    "HOME is unset and the user has no home directory");
	if (path[0] != '/' && (slash = strrchr(ctx->file, '/')) != NULL) {
		cfg->baseline = xasprintf("%.*s/%s",
		    (int)(slash - ctx->file), ctx->file, path);
		free(path);
	} else
		cfg->baseline = path;
	return 0;
}

/* "off": a threshold that is not checked (even one on by default). */
static bool
config_is_off(const struct ynode *node)
{
	return node->type == YNODE_SCALAR && node->plain &&
	    strcmp(node->scalar, "off") == 0;
}

static int
config_thresholds(struct config_ctx *ctx, struct config *cfg,
    const struct ynode *map)
{
	char	*key;
	size_t	 i;
	int	 m;

	if (config_mapping(ctx, map, "thresholds") != 0)
		return -1;
	for (i = 0; i < map->n; i++) {
		if ((m = metric_from_name(map->keys[i])) < 0) {
			return config_unknown(ctx, map, i, "thresholds",
			    "execution_time_ms, memory_footprint_mb, "
			    "memory_peak_mb, serialization_time_ms, "
			    "serialization_size_bytes");
		}
		if (config_is_off(map->items[i])) {
			cfg->has_threshold[m] = false;
			continue;
		}
		key = xasprintf("thresholds.%s", map->keys[i]);
		if (config_number(ctx, map->items[i], key, 0, false, INFINITY,
		    false, &cfg->threshold[m]) != 0) {
			free(key);
			return -1;
		}
		if (cfg->threshold[m] == 0) {
			/* 0% would make every change critical (issue 9). */
			config_error(ctx, map->items[i]->line, key, "must be more "
			    "than 0 (use off to stop checking it), got 0");
			free(key);
			return -1;
		}
		free(key);
		cfg->has_threshold[m] = true;
	}
	return 0;
}

static int
config_bottleneck(struct config_ctx *ctx, struct config *cfg,
    const struct ynode *map)
{
	const struct ynode	*w;
	uint64_t		 u;
	char			*key;
	size_t			 i, j;

	if (config_mapping(ctx, map, "bottleneck") != 0)
		return -1;
	for (i = 0; i < map->n; i++) {
		if (strcmp(map->keys[i], "top_n") == 0) {
			if (config_integer(ctx, map->items[i],
			    "bottleneck.top_n", 1, 1000, &u) != 0)
				return -1;
			cfg->top_n = u;
			continue;
		}
		if (strcmp(map->keys[i], "weights") != 0) {
			return config_unknown(ctx, map, i, "bottleneck",
			    "top_n, weights");
		}
		w = map->items[i];
		if (config_mapping(ctx, w, "bottleneck.weights") != 0)
			return -1;
		for (j = 0; j < w->n; j++) {
			size_t	k;
			int	m = metric_from_name(w->keys[j]);

			for (k = 0; k < CONFIG_NWEIGHTED; k++) {
				if ((int)config_weighted[k] == m)
					break;
			}
			if (m < 0 || k == CONFIG_NWEIGHTED) {
				return config_unknown(ctx, w, j,
				    "bottleneck.weights", "execution_time_ms, "
				    "memory_footprint_mb, "
				    "serialization_time_ms");
			}
			key = xasprintf("bottleneck.weights.%s", w->keys[j]);
			if (config_number(ctx, w->items[j], key, 0, false,
			    INFINITY, false, &cfg->weight[m]) != 0) {
				free(key);
				return -1;
			}
			free(key);
		}
	}
	return 0;
}

static int
config_ui(struct config_ctx *ctx, struct config *cfg, const struct ynode *map)
{
	uint64_t	 u;
	char		*s;
	size_t		 i;

	if (config_mapping(ctx, map, "ui") != 0)
		return -1;
	for (i = 0; i < map->n; i++) {
		if (strcmp(map->keys[i], "refresh_ms") == 0) {
			if (config_integer(ctx, map->items[i], "ui.refresh_ms",
			    10, 60000, &u) != 0)
				return -1;
			cfg->refresh_ms = (unsigned)u;
		} else if (strcmp(map->keys[i], "theme") == 0) {
			if (config_path_string(ctx, map->items[i], "ui.theme",
			    &s) != 0)
				return -1;
			if (cfg->theme != config_default_theme)
				free(cfg->theme);
			cfg->theme = s;
		} else
			return config_unknown(ctx, map, i, "ui",
			    "refresh_ms, theme");
	}
	return 0;
}

static int
config_snapshot_formats(struct config_ctx *ctx, struct config *cfg,
    const struct ynode *seq)
{
	const struct ynode	*item;
	unsigned		 bits = 0;
	char			*shown;
	size_t			 i, j;

	if (seq->type != YNODE_SEQ) {
		return config_error(ctx, seq->line, "snapshot.formats",
		    "expected a list such as [json, markdown, html]");
	}
	if (seq->n == 0) {
		return config_error(ctx, seq->line, "snapshot.formats",
		    "must name at least one of json, markdown, html");
	}
	for (i = 0; i < seq->n; i++) {
		item = seq->items[i];
		for (j = 0; j < CONFIG_NFORMATS; j++) {
			if (item->type == YNODE_SCALAR &&
			    strcmp(item->scalar, config_formats[j].name) == 0)
				break;
		}
		if (j == CONFIG_NFORMATS) {
			shown = item->type == YNODE_SCALAR ?
			    ydoc_clean(item->scalar) : xstrdup("a collection");
			config_error(ctx, item->line, "snapshot.formats",
			    "unknown format '%s' (expected json, markdown or "
			    "html)", shown);
			free(shown);
			return -1;
		}
		bits |= config_formats[j].bit;
	}
	cfg->snapshot_formats = bits;
	return 0;
}

static int
config_snapshot(struct config_ctx *ctx, struct config *cfg,
    const struct ynode *map)
{
	char	*s;
	size_t	 i;

	if (config_mapping(ctx, map, "snapshot") != 0)
		return -1;
	for (i = 0; i < map->n; i++) {
		if (strcmp(map->keys[i], "dir") == 0) {
			if (config_path_string(ctx, map->items[i],
			    "snapshot.dir", &s) != 0)
				return -1;
			if (cfg->snapshot_dir != config_default_snapshot_dir)
				free(cfg->snapshot_dir);
			cfg->snapshot_dir = s;
		} else if (strcmp(map->keys[i], "formats") == 0) {
			if (config_snapshot_formats(ctx, cfg,
			    map->items[i]) != 0)
				return -1;
		} else
			return config_unknown(ctx, map, i, "snapshot",
			    "dir, formats");
	}
	return 0;
}

static int
config_limits(struct config_ctx *ctx, struct config *cfg,
    const struct ynode *map)
{
	uint64_t	 u;
	size_t		 i;

	if (config_mapping(ctx, map, "limits") != 0)
		return -1;
	for (i = 0; i < map->n; i++) {
		if (strcmp(map->keys[i], "max_executors") == 0) {
			if (config_integer(ctx, map->items[i],
			    "limits.max_executors", 1, 10000000, &u) != 0)
				return -1;
			cfg->max_executors = u;
		} else if (strcmp(map->keys[i], "max_methods") == 0) {
			if (config_integer(ctx, map->items[i],
			    "limits.max_methods", 1, 100000, &u) != 0)
				return -1;
			cfg->max_methods = u;
		} else if (strcmp(map->keys[i], "max_line_bytes") == 0) {
			if (config_integer(ctx, map->items[i],
			    "limits.max_line_bytes", 1024, 1073741824, &u) != 0)
				return -1;
			cfg->max_line_bytes = u;
		} else
			return config_unknown(ctx, map, i, "limits",
			    "max_executors, max_methods, max_line_bytes");
	}
	return 0;
}

/* Applies a parsed document to cfg (which holds the defaults). */
static int
config_apply(struct config_ctx *ctx, struct config *cfg,
    const struct ynode *root)
{
	const struct ynode	*v;
	uint64_t		 u;
	size_t			 i;
	const char		*k;
	int			 ms_line = 0;

	if (root == NULL)
		return 0;	/* an empty file: the defaults */
	if (root->type != YNODE_MAP) {
		return config_error(ctx, root->line, NULL,
		    "the configuration must be a mapping of keys");
	}
	for (i = 0; i < root->n; i++) {
		k = root->keys[i];
		v = root->items[i];
		if (strcmp(k, "baseline") == 0) {
			if (config_baseline(ctx, cfg, v) != 0)
				return -1;
		} else if (strcmp(k, "thresholds") == 0) {
			if (config_thresholds(ctx, cfg, v) != 0)
				return -1;
		} else if (strcmp(k, "critical_factor") == 0) {
			if (config_number(ctx, v, k, 1, false, INFINITY, false,
			    &cfg->critical_factor) != 0)
				return -1;
		} else if (strcmp(k, "min_samples") == 0) {
			if (config_integer(ctx, v, k, 1, UINT32_MAX, &u) != 0)
				return -1;
			ms_line = v->line;
			cfg->min_samples = (unsigned)u;
		} else if (strcmp(k, "significance") == 0) {
			if (config_number(ctx, v, k, 0, false, 1, true,
			    &cfg->significance) != 0)
				return -1;
		} else if (strcmp(k, "window") == 0) {
			if (config_integer(ctx, v, k, 0, 100000, &u) != 0)
				return -1;
			cfg->window = u;
		} else if (strcmp(k, "bottleneck") == 0) {
			if (config_bottleneck(ctx, cfg, v) != 0)
				return -1;
		} else if (strcmp(k, "ui") == 0) {
			if (config_ui(ctx, cfg, v) != 0)
				return -1;
		} else if (strcmp(k, "snapshot") == 0) {
			if (config_snapshot(ctx, cfg, v) != 0)
				return -1;
		} else if (strcmp(k, "limits") == 0) {
			if (config_limits(ctx, cfg, v) != 0)
				return -1;
		} else {
			return config_unknown(ctx, root, i, NULL,
			    "baseline, thresholds, critical_factor, "
			    "min_samples, significance, window, bottleneck, "
			    "ui, snapshot, limits");
		}
	}
	/* More runs than the window holds would leave every metric pending
	 * forever: an explicit min_samples above it is refused; the default
	 * follows a small window down. */
	if (cfg->window > 0 && cfg->min_samples > cfg->window) {
		if (ms_line == 0)
			cfg->min_samples = (unsigned)cfg->window;
		else
			return config_error(ctx, ms_line, "min_samples",
			    "min_samples %u is more than window %zu: every "
			    "metric would stay pending", cfg->min_samples,
			    cfg->window);
	}
	return 0;
}

/* Loads a configuration held in memory; *cfg is only written on success. */
int
config_load_buf(struct config *cfg, const char *path, const char *buf,
    size_t len, char **cause)
{
	struct config_ctx	 ctx = { path, cause };
	struct config		 tmp;
	struct ynode		*root;

	if (ydoc_load_buf(path, buf, len, &root, cause) != 0)
		return -1;
	config_defaults(&tmp);
	if (config_apply(&ctx, &tmp, root) != 0) {
		ynode_free(root);
		config_free(&tmp);
		return -1;
	}
	ynode_free(root);
	tmp.path = xstrdup(path);
	*cfg = tmp;
	return 0;
}

/*
 * *cfg is an output: whatever it held is overwritten, not freed (fill it
 * with config_defaults() or pass a fresh struct; config_free() an older
 * loaded configuration first).
 */
int
config_load(struct config *cfg, const char *path, char **cause)
{
	char	*buf;
	size_t	 len;
	int	 rc;

	config_defaults(cfg);
	if (ydoc_read_file(path, YDOC_MAX_BYTES, &buf, &len, cause) != 0)
		return -1;
	rc = config_load_buf(cfg, path, buf, len, cause);
	free(buf);
	return rc;
}
