/*
 * cli_common.c - what several exectop commands share: finding and loading
 * the config and the baseline, reading every source into a model, and
 * naming the sources.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ingest.h"
#include "paths.h"
#include "xmalloc.h"

/*
 * The one baseline discovery rule of every mode (TUI, report, config
 * --print): -b, else the config's baseline, else ./baseline.yaml when it
 * exists (the file the TUI's b writes), else none (NULL).  *origin says
 * which.
 */
const char *
cli_baseline_path(const struct cli *c, const struct config *cfg,
    const char **origin)
{
	if (c->baseline != NULL) {
		*origin = "-b";
		return c->baseline;
	}
	if (cfg->baseline != NULL) {
		*origin = "the config's baseline";
		return cfg->baseline;
	}
	if (access("baseline.yaml", F_OK) == 0) {
		*origin = "found in the current directory";
		return "baseline.yaml";
	}
	*origin = "no -b, no baseline in the config, no ./baseline.yaml";
	return NULL;
}

/* Loads the config (see config_find) and the baseline
 * (cli_baseline_path); bl may be NULL when no baseline is wanted. */
int
cli_load(const struct cli *c, struct config *cfg, struct baseline **bl)
{
	struct config_source	 src;
	const char		*bpath, *origin;
	char			*cause = NULL;

	config_find(c->config, &src);
	config_defaults(cfg);
	if (src.path != NULL && config_load(cfg, src.path, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		free(src.path);
		return -1;
	}
	free(src.path);
	if (bl == NULL)
		return 0;
	*bl = NULL;
	bpath = cli_baseline_path(c, cfg, &origin);
	if (bpath != NULL && baseline_load(bl, bpath, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		config_free(cfg);
		return -1;
	}
	return 0;
}

/* Reads every source to its end into a new model; NULL on error. */
struct model *
cli_ingest(const struct cli *c, const struct config *cfg,
    const struct baseline *bl)
{
	struct model		*m;
	struct model_limits	 lim;
	struct source		**src;
	struct stat		  st;
	char			*cause = NULL;
	size_t			 i, nsrc;
	int			 rc = 0;

	if (c->nsources == 0)
		usage_error("%s: no SOURCE given (a file, a FIFO, or - for stdin)",
		    cli_command_of(c->cmd)->name);
	lim.window = cfg->window;
	lim.max_executors = cfg->max_executors;
	lim.max_methods = cfg->max_methods;
	m = model_create(&lim);
	model_set_reference(m, bl, cfg);
	src = xcalloc(c->nsources, sizeof *src);
	nsrc = 0;
	/* Regular files first, on every core; then FIFOs and stdin, merged
	 * as they come. */
	for (i = 0; i < c->nsources && rc == 0; i++) {
		if (strcmp(c->sources[i], "-") != 0 &&
		    stat(c->sources[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = ingest_file_parallel(c->sources[i], m,
			    cfg->max_line_bytes, c->threads, &cause);
	}
	for (i = 0; i < c->nsources && rc == 0; i++) {
		if (strcmp(c->sources[i], "-") != 0 &&
		    stat(c->sources[i], &st) == 0 && S_ISREG(st.st_mode))
			continue;
		src[nsrc] = source_open(c->sources[i], false,
		    cfg->max_line_bytes, &cause);
		if (src[nsrc] == NULL)
			rc = -1;
		else
			nsrc++;
	}
	if (rc == 0)
		rc = ingest_run_to_eof_timeout(src, nsrc, m, c->timeout,
		    &cause);
	for (i = 0; i < nsrc; i++)
		source_close(src[i]);
	free(src);
	if (rc == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		model_free(m);
		return NULL;
	}
	return m;
}

