/*
 * cmd_gen.c - `exectop gen`: the deterministic synthetic record stream
 * (src/gen) to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int	cmd_gen(struct cli *);

const struct cli_command cli_cmd_gen = {
	"gen", CMD_GEN,
	"exectop gen [--records N] [--executors K] [--methods M] [--seed S]\n"
	"               [--profile-seed P] [--slow ID:FACTOR] [--rate R]\n"
	"               [--fail-rate F] [--noise SIGMA] [--ar RHO]\n"
	"               [--outliers RATE:MIN-MAX] [--step ID:FACTOR@RUN]",
	"write a deterministic synthetic stream to stdout",
	"Writes a deterministic synthetic record stream to stdout:\n"
	"executor i is D<i/5+1>-Q<i%5+1>, records go round-robin.\n"
	"--noise, --ar, --outliers or --step switch to the noise model:\n"
	"every metric is mean * exp(x), x an AR(1) series with standard\n"
	"deviation SIGMA and lag-one correlation RHO; a fraction RATE of\n"
	"runs is MIN-MAX times slower; --step multiplies an executor's time\n"
	"by FACTOR from its RUN-th run on.\n",
	cmd_gen
};

static int
cmd_gen(struct cli *c)
{
	if (c->nsources != 0)
		usage_error("gen: unexpected argument '%s'", c->sources[0]);
	if (gen_run(&c->gen, STDOUT_FILENO) == -1) {
		if (errno == EPIPE)
			return 0;	/* the reader left: done */
		fprintf(stderr, "exectop: gen: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}
