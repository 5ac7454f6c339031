/*
 * fuzz_record.c - libFuzzer target for everything a record stream
 * reaches: the input is split into lines as a source would (line limit
 * 4 KiB), every line parsed by record_parse() and added to a small model
 * (caps of 8 executors, 8 methods), then the analysis runs and a report
 * is written (the format picked by the input's length, so every format
 * gets its share), so hostile ids, methods and errors go through every
 * escaper.  The whole input is also parsed as one line, by the streaming
 * reader (record_parse, yajl) and by the jansson reference: both must
 * accept or reject it for the same reason and read the same values
 * (issue 10).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "config.h"
#include "escape.h"
#include "ingest.h"
#include "model.h"
#include "record.h"
#include "report.h"
#include "record_diff.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_ctx {
	struct model	*m;
	struct record	*r;
};

static void
fuzz_line(void *arg, const char *line, size_t len, uint64_t lineno,
    bool too_long)
{
	struct fuzz_ctx	*c = arg;

	ingest_line_with(c->m, c->r, "fuzz", line, len, lineno, too_long);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE		*devnull;
	static struct config	 cfg;
	static int		 ready;
	struct model_limits	 lim = { .window = 4, .max_executors = 8,
				    .max_methods = 8 };
	struct record		 r;
	struct linebuf		 lb;
	struct fuzz_ctx		 c;
	struct analysis		*an;
	struct report_ctx	 ctx;
	enum reject_reason	 why;
	char			 detail[MODEL_DETAIL_LEN], *t;
	const char		*p;
	size_t			 i;
	int			 f;

	if (!ready) {
		devnull = fopen("/dev/null", "w");
		config_defaults(&cfg);
		cfg.min_samples = 1;
		ready = 1;
	}

	/* The whole input as one line: the detail must be inert. */
	record_init(&r);
	if (record_parse(&r, (const char *)data, size, &why, detail,
	    sizeof detail) == -1) {
		if (why >= REJECT_COUNT || strlen(detail) >= sizeof detail)
			abort();
		for (p = detail; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				abort();
		}
	}
	record_clear(&r);
	t = (char *)record_diff((const char *)data, size);
	if (t != NULL) {
		fprintf(stderr, "readers differ: %s\n", t);
		abort();
	}

	/* As a stream. */
	c.m = model_create(&lim);
	c.r = &r;
	linebuf_init(&lb, 4096);
	linebuf_feed(&lb, (const char *)data, size, fuzz_line, &c);
	linebuf_flush(&lb, fuzz_line, &c);
	linebuf_free(&lb);
	record_free(&r);
	if (c.m->nexecs > lim.max_executors)
		abort();

	an = analysis_run(c.m, NULL, &cfg);
	memset(&ctx, 0, sizeof ctx);
	ctx.model = c.m;
	ctx.analysis = an;
	ctx.config = &cfg;
	ctx.sources = "fuzz";
	f = (int)(size % 3);
	report_write(devnull, f == 0 ? REPORT_JSON : f == 1 ?
	    REPORT_MARKDOWN : REPORT_HTML, &ctx);
	for (i = 0; i < c.m->nexecs; i++) {
		t = escape_terminal(c.m->execs[i]->id);
		for (p = t; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
		}
		free(t);
	}
	analysis_free(an);
	model_free(c.m);
	return 0;
}
