/*
 * cmd_config.c - `exectop config [--print]`: the effective configuration,
 * one key a line with where its value came from (file:line or default),
 * the config file chosen and why, the baseline and the theme file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "metric.h"
#include "paths.h"
#include "xmalloc.h"
#include "ydoc.h"

static int	cmd_config(struct cli *);

const struct cli_command cli_cmd_config = {
	"config", CMD_CONFIG,
	"exectop config [--print] [-c CONFIG] [-b BASELINE] [--theme NAME|FILE]",
	"print the effective configuration and where each value came from",
	"Prints the effective configuration, one key a line, each with\n"
	"where its value came from (file:line, or default), the config file\n"
	"chosen and why, the baseline, and the theme file that NAME\n"
	"resolves to.\n",
	cmd_config
};

/* Where a key sits in the loaded file: "file:line", or NULL. */
static char *
cli_key_pos(const struct ynode *root, const char *file, const char *key)
{
	const struct ynode	*n = root;
	char			*k, *part, *save = NULL;

	if (root == NULL)
		return NULL;
	k = xstrdup(key);
	for (part = strtok_r(k, ".", &save); part != NULL && n != NULL;
	    part = strtok_r(NULL, ".", &save))
		n = n->type == YNODE_MAP ? ynode_get(n, part) : NULL;
	free(k);
	return n != NULL ? xasprintf("%s:%d", file, n->line) : NULL;
}

static void
cli_print_key(const struct ynode *root, const char *file, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
cli_print_key(const struct ynode *root, const char *file, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*v, *line, *pos;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	line = xasprintf("%s: %s", key, v);
	pos = cli_key_pos(root, file, key);
	printf("%-48s # %s\n", line, pos != NULL ? pos : "default");
	free(pos);
	free(line);
	free(v);
}

/* The theme directories and the file NAME resolves to, as in the TUI. */
static void
cli_print_theme(const char *name, const char *from)
{
	char	**dirs, *p, *cause = NULL;
	size_t	  i;

	dirs = paths_theme_dirs();
	printf("# theme dirs:");
	for (i = 0; dirs[i] != NULL; i++)
		printf(" %s", dirs[i]);
	printf("%s\n", dirs[0] == NULL ? " (none)" : "");
	paths_list_free(dirs);
	if ((p = paths_theme_find(name, &cause)) != NULL)
		printf("# theme: %s (%s): %s\n", name, from, p);
	else
		printf("# theme: %s (%s): %s\n", name, from,
		    paths_theme_builtin(name) ? "built in" : cause);
	free(p);
	free(cause);
}

static int
cmd_config(struct cli *c)
{
	static const char *const formats[] = { "json", "markdown", "html" };
	struct config_source	 src;
	struct config		 cfg, def;
	struct ynode		*root = NULL;
	const char		*file;
	char			*cause = NULL, *d, *fmts;
	enum metric		 k;
	size_t			 i;

	if (c->nsources != 0)
		usage_error("config: unexpected argument '%s'", c->sources[0]);
	config_find(c->config, &src);
	config_defaults(&cfg);
	config_defaults(&def);
	if (src.path != NULL) {
		if (config_load(&cfg, src.path, &cause) == -1 ||
		    ydoc_load_file(src.path, &root, &cause) == -1) {
			fprintf(stderr, "exectop: %s\n", cause);
			free(cause);
			free(src.path);
			return 2;
		}
	}
	file = src.path != NULL ? src.path : "";

	printf("# exectop %s effective configuration\n", EXECTOP_VERSION);
	printf("# config: %s (%s)\n", src.path != NULL ? src.path : "none",
	    src.origin);
	d = paths_user_dir();
	printf("# user config dir: %s\n", d != NULL ? d : "none ($HOME unset)");
	free(d);
	d = paths_data_dir();
	printf("# data dir: %s\n", d != NULL ? d : "none (not installed)");
	free(d);
	{
		const char *origin, *bp = cli_baseline_path(c, &cfg, &origin);

		printf("# baseline: %s (%s)\n", bp != NULL ? bp : "none",
		    origin);
	}
	cli_print_theme(c->tui.theme != NULL ? c->tui.theme : cfg.theme,
	    c->tui.theme != NULL ? "--theme" : "ui.theme");

	cli_print_key(root, file, "baseline", "%s",
	    cfg.baseline != NULL ? cfg.baseline : "none");
	for (k = 0; k < METRIC_COUNT; k++) {
		d = xasprintf("thresholds.%s", metric_name(k));
		if (cfg.has_threshold[k])
			cli_print_key(root, file, d, "%g", cfg.threshold[k]);
		else
			cli_print_key(root, file, d, "off");
		free(d);
	}
	cli_print_key(root, file, "critical_factor", "%g", cfg.critical_factor);
	cli_print_key(root, file, "min_samples", "%u", cfg.min_samples);
	cli_print_key(root, file, "significance", "%g", cfg.significance);
	cli_print_key(root, file, "window", "%zu", cfg.window);
	cli_print_key(root, file, "bottleneck.top_n", "%zu", cfg.top_n);
	for (k = 0; k < METRIC_COUNT; k++) {
		if (k != METRIC_EXEC_TIME && k != METRIC_MEM_FOOTPRINT &&
		    k != METRIC_SER_TIME)
			continue;
		d = xasprintf("bottleneck.weights.%s", metric_name(k));
		cli_print_key(root, file, d, "%g", cfg.weight[k]);
		free(d);
	}
	cli_print_key(root, file, "ui.refresh_ms", "%u", cfg.refresh_ms);
	cli_print_key(root, file, "ui.theme", "%s", cfg.theme);
	cli_print_key(root, file, "snapshot.dir", "%s", cfg.snapshot_dir);
	fmts = xstrdup("");
	for (i = 0; i < 3; i++) {
		if (cfg.snapshot_formats & (1u << i)) {
			d = xasprintf("%s%s%s", fmts, *fmts != '\0' ? ", " : "",
			    formats[i]);
			free(fmts);
			fmts = d;
		}
	}
	cli_print_key(root, file, "snapshot.formats", "[%s]", fmts);
	free(fmts);
	cli_print_key(root, file, "limits.max_executors", "%zu",
	    cfg.max_executors);
	cli_print_key(root, file, "limits.max_methods", "%zu", cfg.max_methods);
	cli_print_key(root, file, "limits.max_line_bytes", "%zu",
	    cfg.max_line_bytes);

	ynode_free(root);
	free(src.path);
	config_free(&cfg);
	config_free(&def);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "exectop: writing to stdout: %s\n",
		    strerror(errno));
		return 2;
	}
	return 0;
}
