/*
 * report.c - format names, the report_write() dispatch, atomic saving and
 * the small formatting helpers the writers share.
 */
#include <errno.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "atomicfile.h"
#include "model.h"
#include "report.h"
#include "xmalloc.h"

#include "report_int.h"

static const struct {
	const char		*name;
	enum report_format	 format;
} report_names[] = {
	{ "json", REPORT_JSON },
	{ "markdown", REPORT_MARKDOWN },
	{ "md", REPORT_MARKDOWN },
	{ "html", REPORT_HTML },
	{ "junit", REPORT_JUNIT },
};

int
report_format_from_name(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof report_names / sizeof report_names[0]; i++) {
		if (strcmp(report_names[i].name, name) == 0)
			return (int)report_names[i].format;
	}
	return -1;
}

const char *
report_format_ext(enum report_format format)
{
	switch (format) {
	case REPORT_JSON:
		return "json";
	case REPORT_MARKDOWN:
		return "md";
	case REPORT_HTML:
		return "html";
	case REPORT_JUNIT:
		return "xml";
	}
	return "txt";
}

int
report_write(FILE *fp, enum report_format format,
    const struct report_ctx *ctx)
{
	int	 rc;

	errno = 0;
	switch (format) {
	case REPORT_JSON:
		rc = report_json_write(fp, ctx);
		break;
	case REPORT_MARKDOWN:
		rc = report_markdown_write(fp, ctx);
		break;
	case REPORT_HTML:
		rc = report_html_write(fp, ctx);
		break;
	case REPORT_JUNIT:
		rc = report_junit_write(fp, ctx);
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (fflush(fp) != 0)
		rc = -1;
	if (ferror(fp))
		rc = -1;
	if (rc != 0 && errno == 0)
		errno = EIO;
	return rc;
}

int
report_save(const char *path, enum report_format format,
    const struct report_ctx *ctx, char **cause)
{
	struct atomic_file	 af;
	FILE			*fp;

	if ((fp = atomic_open(&af, path, cause)) == NULL)
		return -1;
	if (report_write(fp, format, ctx) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		atomic_abort(&af);
		return -1;
	}
	return atomic_commit(&af, cause);
}

/*
 * A snapshot: every format into dir as exectop-STAMP.EXT (-1, -2 ... when
 * taken), one consistent set.  Each report is written and synced under a
 * temporary name first; only when all are complete are they link()ed to
 * their final names, which never replaces anything (another snapshot of
 * the same second, a planted symbolic link): a name taken in any format
 * moves the whole set to the next suffix.  Any failure removes every file
 * of the set, so a snapshot is all its files or none.
 */
int
report_snapshot(const char *dir, const char *stamp,
    const enum report_format *fmts, size_t nfmts,
    const struct report_ctx *ctx, char **base_out, char **cause)
{
	struct atomic_file	*af;
	char			*base = NULL, *path;
	size_t			 i, j, linked;
	int			 attempt, error = 0, ret = -1;

	af = xcalloc(nfmts, sizeof *af);
	for (i = 0; i < nfmts; i++) {
		if (atomic_open_tmp(&af[i], dir, cause) == NULL)
			goto out;
		if (report_write(af[i].fp, fmts[i], ctx) != 0) {
			*cause = xasprintf("cannot write in %s: %s", dir,
			    strerror(errno));
			goto out;
		}
		if (atomic_close_tmp(&af[i], cause) != 0)
			goto out;
	}
	for (attempt = 0; attempt < REPORT_SNAPSHOT_TRIES; attempt++) {
		free(base);
		if (attempt == 0)
			base = xasprintf("%s/exectop-%s", dir, stamp);
		else
			base = xasprintf("%s/exectop-%s-%d", dir, stamp,
			    attempt);
		error = 0;
		for (linked = 0; linked < nfmts; linked++) {
			path = xasprintf("%s.%s", base,
			    report_format_ext(fmts[linked]));
			if (atomic_link_new(&af[linked], path) != 0)
				error = errno;
			free(path);
			if (error != 0)
				break;
		}
		if (error == 0)
			break;
		for (j = 0; j < linked; j++) {
			path = xasprintf("%s.%s", base,
			    report_format_ext(fmts[j]));
			unlink(path);
			free(path);
		}
		if (error != EEXIST) {
			*cause = xasprintf("cannot write %s.%s: %s", base,
			    report_format_ext(fmts[linked]), strerror(error));
			goto out;
		}
	}
	if (error != 0) {
		*cause = xasprintf("%d snapshot names for %s taken in %s",
		    REPORT_SNAPSHOT_TRIES, stamp, dir);
		goto out;
	}
	if ((error = atomic_sync_dir_of(base)) != 0) {
		*cause = xasprintf("cannot write %s: %s", base,
		    strerror(error));
		goto out;
	}
	*base_out = base;
	base = NULL;
	ret = 0;
out:
	for (i = 0; i < nfmts; i++)
		atomic_abort(&af[i]);
	free(af);
	free(base);
	return ret;
}

const char *
report_iso8601(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	return buf;
}

const char *
report_fmt(char *buf, size_t len, double v, int prec)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", prec, v);
	return buf;
}

const char *
report_fmt_pct(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f%%", v);
	return buf;
}

const char *
report_fmt_p(char *buf, size_t len, double p)
{
	if (!isfinite(p))
		snprintf(buf, len, "-");
	else if (p < 0.0001)
		snprintf(buf, len, "<0.0001");
	else
		snprintf(buf, len, "%.4f", p);
	return buf;
}

int
report_metric_prec(enum metric m)
{
	return metric_prec(m);
}

static const struct {
	const char	*name;
	const char	*title;
	enum metric	 metric;
} report_ranks[RANK_COUNT] = {
	[RANK_SLOWEST] = { "slowest", "Slowest", METRIC_EXEC_TIME },
	[RANK_MEMORY] = { "memory_intensive", "Memory intensive",
	    METRIC_MEM_FOOTPRINT },
	[RANK_SERIALIZATION] = { "serialization_heavy", "Serialization heavy",
	    METRIC_SER_TIME },
};

const char *
report_rank_name(enum report_rank r)
{
	return report_ranks[r].name;
}

const char *
report_rank_title(enum report_rank r)
{
	return report_ranks[r].title;
}

enum metric
report_rank_metric(enum report_rank r)
{
	return report_ranks[r].metric;
}

const struct executor *const *
report_rank_list(const struct report_ctx *ctx, enum report_rank r, size_t *n)
{
	const struct analysis	*a = ctx->analysis;

	switch (r) {
	case RANK_SLOWEST:
		*n = a->nslowest;
		return a->slowest;
	case RANK_MEMORY:
		*n = a->nmemory_intensive;
		return a->memory_intensive;
	case RANK_SERIALIZATION:
		*n = a->nserialization_heavy;
		return a->serialization_heavy;
	case RANK_COUNT:
		break;
	}
	*n = 0;
	return NULL;
}

double
report_rank_value(const struct executor *ex, enum report_rank r)
{
	struct summary	 s;

	executor_summary_all(ex, report_ranks[r].metric, &s);
	return s.n == 0 ? NAN : s.mean;
}

double
report_success_rate(const struct executor *ex)
{
	if (ex->runs == 0)
		return NAN;
	return (double)(ex->runs - ex->failures) / (double)ex->runs;
}
