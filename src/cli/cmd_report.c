/*
 * cmd_report.c - `exectop report`: reads every source to its end, writes
 * a report (JSON, Markdown, HTML or JUnit) and is the CI gate: exit 1 on
 * a regression at or above --fail-on, 3 when the input cannot be trusted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "cli.h"
#include "ingest.h"
#include "escape.h"
#include "report.h"
#include "xmalloc.h"

static int	cmd_report(struct cli *);

const struct cli_command cli_cmd_report = {
	"report", CMD_REPORT,
	"exectop report [-c CONFIG] [-b BASELINE] [-f json|markdown|html|junit]\n"
	"               [-o FILE] [--fail-on warning|critical|never]\n"
	"               [--max-invalid N] [-j N] SOURCE...",
	"read every source to its end, write a report; the CI gate",
	"Reads every SOURCE to its end (a FIFO until its writers close),\n"
	"writes a report (JSON to stdout by default; -o writes a file\n"
	"atomically) and exits 0, or 1 when a regression at or above\n"
	"--fail-on exists, 3 when no valid record was read (or more invalid\n"
	"ones than --max-invalid).  --format junit writes JUnit XML: one test case\n"
	"per executor and checked metric, the gated regressions as failures.\n"
	"SOURCE_DATE_EPOCH fixes the report's timestamp.\n",
	cmd_report
};

/* Now, or SOURCE_DATE_EPOCH when set (reproducible reports). */
static time_t
cli_report_time(void)
{
	const char	*s = getenv("SOURCE_DATE_EPOCH");
	char		*end;
	long long	 v;

	if (s != NULL && *s != '\0') {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

/*
 * The input check of `report`: invalid records are a warning on stderr
 * (how many, by reason, and the newest one); returns why the input
 * cannot be trusted (malloc'd; report exits 3): no valid record, or more
 * invalid records than --max-invalid.  NULL when it can.
 */
static char *
cli_input_check(const struct cli *c, const struct model *m)
{
	const struct rejection	*r;
	unsigned		 i;
	int			 first = 1;

	if (m->invalid > 0) {
		fprintf(stderr, "exectop: warning: %llu invalid record%s skipped (",
		    (unsigned long long)m->invalid, m->invalid == 1 ? "" : "s");
		for (i = 0; i < REJECT_COUNT; i++) {
			if (m->invalid_by[i] == 0)
				continue;
			fprintf(stderr, "%s%s %llu", first ? "" : ", ",
			    record_reject_name(i),
			    (unsigned long long)m->invalid_by[i]);
			first = 0;
		}
		fputs(")", stderr);
		if ((r = model_rejection(m, 0)) != NULL) {
			char *src = escape_terminal(r->source);
			char *det = escape_terminal(r->detail);

			fprintf(stderr, "; last: %s:%llu: %s%s%s", src,
			    (unsigned long long)r->line,
			    record_reject_name(r->reason), det[0] != '\0' ?
			    ": " : "", det);
			free(src);
			free(det);
		}
		fputs("\n", stderr);
	}
	if (m->nunknown > 0 || m->no_metric > 0) {
		char	 buf[1024], *esc;

		model_unknown_summary(m, buf, sizeof buf);
		esc = escape_terminal(buf);
		fprintf(stderr, "exectop: warning: ");
		if (m->nunknown > 0)
			fprintf(stderr, "unknown fields ignored (%s)%s", esc,
			    m->no_metric > 0 ? "; " : "");
		if (m->no_metric > 0)
			fprintf(stderr, "%llu record%s had no known metric",
			    (unsigned long long)m->no_metric,
			    m->no_metric == 1 ? "" : "s");
		fputs("\n", stderr);
		free(esc);
	}
	if (m->records == 0)
		return xasprintf("no valid record was read from %s (%llu "
		    "invalid): is the profiler writing records with an "
		    "executor_id?", c->nsources == 1 ? c->sources[0] :
		    "the sources", (unsigned long long)m->invalid);
	if (c->max_invalid >= 0 && m->invalid > (uint64_t)c->max_invalid)
		return xasprintf("%llu invalid records, more than --max-invalid "
		    "%lld", (unsigned long long)m->invalid,
		    (long long)c->max_invalid);
	return NULL;
}

static int
cmd_report(struct cli *c)
{
	struct config		 cfg;
	struct baseline		*bl;
	struct model		*m;
	struct analysis		*a;
	struct report_ctx	 ctx;
	char			*cause = NULL, *desc, *input_error;
	const char		**missing;
	size_t			 nmissing;
	int			 rc = 0;

	if (cli_load(c, &cfg, &bl) == -1)
		return 2;
	if ((m = cli_ingest(c, &cfg, bl)) == NULL) {
		baseline_free(bl);
		config_free(&cfg);
		return 2;
	}
	a = analysis_run(m, bl, &cfg);
	desc = source_display_list(c->sources, c->nsources);
	input_error = cli_input_check(c, m);
	memset(&ctx, 0, sizeof ctx);
	ctx.model = m;
	ctx.analysis = a;
	ctx.baseline = bl;
	ctx.config = &cfg;
	ctx.now = cli_report_time();
	ctx.sources = desc;
	ctx.fail_on = c->fail_on;
	ctx.input_error = input_error;
	ctx.fail_on_missing = c->fail_on_missing;
	if (c->output != NULL && strcmp(c->output, "-") != 0) {
		/* -o - is standard output, not a file named "-". */
		if (report_save(c->output, c->format, &ctx, &cause) == -1) {
			fprintf(stderr, "exectop: %s\n", cause);
			free(cause);
			rc = 2;
		}
	} else if (report_write(stdout, c->format, &ctx) == -1 ||
	    fflush(stdout) == EOF) {
		fprintf(stderr, "exectop: writing the report to stdout: %s\n",
		    strerror(errno));
		rc = 2;
	}
	if (rc == 0 && analysis_gate_failed(a, c->fail_on))
		rc = 1;
	nmissing = baseline_missing(bl, m, &missing);
	if (nmissing > 0) {
		char *id = escape_terminal(missing[0]);

		fprintf(stderr, "exectop: %s: %zu executor%s of the baseline "
		    "with no run (%s%s)\n", c->fail_on_missing ? "error" :
		    "warning", nmissing, nmissing == 1 ? "" : "s", id,
		    nmissing > 1 ? ", ..." : "");
		free(id);
		if (rc == 0 && c->fail_on_missing)
			rc = 1;
	}
	free(missing);
	if (rc != 2 && input_error != NULL) {
		fprintf(stderr, "exectop: %s\n", input_error);
		rc = 3;
	}
	free(input_error);
	free(desc);
	analysis_free(a);
	model_free(m);
	baseline_free(bl);
	config_free(&cfg);
	return rc;
}
