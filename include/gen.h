/*
 * gen.h - a deterministic synthetic record stream for demos, tests and
 * benchmarks.
 *
 * Executor profiles (mean time, memory, serialization, method mix) depend
 * only on profile_seed; run-to-run noise depends on seed.  Executor i is
 * named "D<i/5+1>-Q<i%5+1>".
 */
#ifndef EXECTOP_GEN_H
#define EXECTOP_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GEN_MAX_SLOW 16
/* Largest --slow/--step factor (generated values stay finite). */
#define GEN_MAX_FACTOR 1e6
#define GEN_MAX_STEP 512

struct gen_slow {
	char	 id[257];	/* an executor id is at most 256 bytes */
	double	 factor;
};

/* From that executor's run `run` on (its runs counted from 1), its
 * execution time is multiplied by factor. */
struct gen_step {
	char	 id[257];
	double	 factor;
	uint64_t run;
};

struct gen_opts {
	uint64_t	records;	/* 0 = endless */
	unsigned	executors;	/* default 10 */
	unsigned	methods;	/* per executor, default 3 */
	uint64_t	seed;		/* noise, default 1 */
	uint64_t	profile_seed;	/* profiles, default 42 */
	double		rate;		/* records/s, 0 = as fast as possible */
	double		fail_rate;	/* fraction of failed runs, default 0.01 */
	struct gen_slow	slow[GEN_MAX_SLOW];
	size_t		nslow;
	/* The noise model (off while noise, ar and outlier_rate are 0 and no
	 * step is set: then the stream is the classic 8% normal noise).  With
	 * it, each metric of each run is mean * exp(x), x an AR(1) series of
	 * standard deviation noise and lag-one correlation ar, and with
	 * probability outlier_rate the execution time is further multiplied
	 * by a factor uniform in [outlier_min, outlier_max]. */
	double		noise;		/* sigma of the log noise */
	double		ar;		/* -1 < ar < 1 */
	double		outlier_rate;
	double		outlier_min, outlier_max;
	struct gen_step	step[GEN_MAX_STEP];
	size_t		nstep;
};

void	gen_defaults(struct gen_opts *);
/* Parses "ID:FACTOR" into opts->slow; -1 when malformed or full. */
int	gen_add_slow(struct gen_opts *, const char *);
/* Parses "ID:FACTOR@RUN" into opts->step; -1 when malformed or full. */
int	gen_add_step(struct gen_opts *, const char *);
/* Parses "RATE:MIN-MAX" (0 <= RATE <= 1, 0 < MIN <= MAX); -1 when
 * malformed. */
int	gen_set_outliers(struct gen_opts *, const char *);
/* Writes the stream to fd (write() of whole lines); returns 0, or -1 on a
 * write error (EPIPE included) with errno set. */
int	gen_run(const struct gen_opts *, int fd);
/* Name of executor i. */
void	gen_executor_name(unsigned, char *, size_t);

#endif
