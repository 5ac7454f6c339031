/*
 * cmd_baseline.c - `exectop baseline`: reads every source to its end and
 * saves the statistics of every run as a baseline (YAML, atomically).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ingest.h"

static int	cmd_baseline(struct cli *);

const struct cli_command cli_cmd_baseline = {
	"baseline", CMD_BASELINE,
	"exectop baseline [-c CONFIG] -o FILE [-j N] SOURCE...",
	"read every source to its end and save a baseline (YAML)",
	"Reads every SOURCE to its end and saves the statistics of every\n"
	"run as a baseline (YAML, written atomically) to compare later\n"
	"runs against with -b.\n",
	cmd_baseline
};

static int
cmd_baseline(struct cli *c)
{
	struct config	 cfg;
	struct baseline	*bl;
	struct model	*m;
	char		*cause = NULL, *desc;
	int		 rc = 0;

	if (c->output == NULL)
		usage_error("baseline: -o FILE is required");
	if (cli_load(c, &cfg, NULL) == -1)
		return 2;
	if ((m = cli_ingest(c, &cfg, NULL)) == NULL) {
		config_free(&cfg);
		return 2;
	}
	desc = source_display_list(c->sources, c->nsources);
	bl = baseline_from_model(m, desc);
	if (strcmp(c->output, "-") == 0) {
		/* -o - is standard output, not a file named "-". */
		if (baseline_write(bl, stdout) == -1 || fflush(stdout) == EOF) {
			fprintf(stderr, "exectop: writing the baseline to "
			    "stdout: %s\n", strerror(errno));
			rc = 2;
		}
	} else if (baseline_save(bl, c->output, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		rc = 2;
	}
	if (rc == 0)
		fprintf(stderr, "exectop: baseline of %zu executors (%llu runs) "
		    "saved to %s\n", bl->n, (unsigned long long)m->records,
		    strcmp(c->output, "-") == 0 ? "standard output" :
		    c->output);
	free(desc);
	baseline_free(bl);
	model_free(m);
	config_free(&cfg);
	return rc;
}
