/*
 * gen.c - a deterministic synthetic record stream.
 *
 * Each executor gets a profile (mean times, memory, serialization, a mix
 * of methods) drawn from a generator seeded with profile_seed and its
 * index; each run draws noise from a generator seeded with seed.  Records
 * go round-robin over the executors, so N records give each executor
 * N / K runs.  Timestamps start at a fixed epoch unless a rate is set, in
 * which case they are the wall clock.
 *
 * The optional noise model (--noise, --ar, --outliers, --step) replaces
 * the 8% normal noise by log-normal noise with AR(1) correlation kept per
 * executor and metric, occasional slow outliers, and steps at a given run
 * of one executor: streams like real timings, to measure the detector on.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "xmalloc.h"

#define GEN_EPOCH	1790000000.0
#define GEN_BUF		65536

static const char *gen_classes[] = {
	"PDFLoader", "Tokenizer", "Embedder", "Classifier", "TableParser",
	"Summarizer", "Indexer", "Validator"
};
static const char *gen_methods[] = {
	"load", "parse", "embed", "score", "extract", "normalize", "merge",
	"validate", "serialize", "rank"
};

struct gen_rng {
	uint64_t	s;
};

/* splitmix64 */
static uint64_t
gen_next(struct gen_rng *r)
{
	uint64_t	z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
gen_uniform(struct gen_rng *r)
{
	return (double)(gen_next(r) >> 11) * 0x1.0p-53;
}

/* Standard normal (Box-Muller). */
static double
gen_normal(struct gen_rng *r)
{
	double	u = gen_uniform(r), v = gen_uniform(r);

	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Log-uniform in [lo, hi). */
static double
gen_logu(struct gen_rng *r, double lo, double hi)
{
	return lo * exp(gen_uniform(r) * log(hi / lo));
}

struct gen_method {
	char	cls[32];
	char	name[32];
	double	share;		/* of the execution time */
	double	mem;		/* MB */
	double	calls;
};

struct gen_profile {
	char			id[32];
	double			time_ms;
	double			mem_mb;
	double			peak_mb;
	double			ser_ms;
	double			ser_bytes;
	double			slow;	/* factor */
	struct gen_method	*methods;
	uint64_t		runs;	/* written so far */
	double			ar[5];	/* AR(1) state per noisy metric */
};

void
gen_defaults(struct gen_opts *o)
{
	memset(o, 0, sizeof *o);
	o->executors = 10;
	o->methods = 3;
	o->seed = 1;
	o->profile_seed = 42;
	o->fail_rate = 0.01;
}

/*
 * A factor of --slow/--step: a plain decimal (no hex, inf or nan, which
 * strtod would take) in (0, GEN_MAX_FACTOR], so every generated value
 * stays finite.  The text runs from s to stop (exclusive).
 */
static int
gen_factor(const char *s, const char *stop, double *f)
{
	const char	*p;
	char		*end;

	if (s == stop)
		return -1;
	for (p = s; p < stop; p++)
		if (strchr("0123456789.eE+-", *p) == NULL)
			return -1;
	errno = 0;
	*f = strtod(s, &end);
	if (end != stop || errno != 0 || !(*f > 0) || *f > GEN_MAX_FACTOR)
		return -1;
	return 0;
}

int
gen_add_slow(struct gen_opts *o, const char *arg)
{
	const char	*colon = strrchr(arg, ':');
	double		 f;

	if (colon == NULL || colon == arg || o->nslow >= GEN_MAX_SLOW ||
	    (size_t)(colon - arg) >= sizeof o->slow[0].id)
		return -1;
	if (gen_factor(colon + 1, colon + 1 + strlen(colon + 1), &f) != 0)
		return -1;
	memcpy(o->slow[o->nslow].id, arg, (size_t)(colon - arg));
	o->slow[o->nslow].id[colon - arg] = '\0';
	o->slow[o->nslow].factor = f;
	o->nslow++;
	return 0;
}

int
gen_add_step(struct gen_opts *o, const char *arg)
{
	const char	*at = strrchr(arg, '@'), *colon;
	char		*end;
	double		 f;
	unsigned long long run;

	if (at == NULL || o->nstep >= GEN_MAX_STEP)
		return -1;
	colon = memrchr(arg, ':', (size_t)(at - arg));
	if (colon == NULL || colon == arg ||
	    (size_t)(colon - arg) >= sizeof o->step[0].id)
		return -1;
	if (gen_factor(colon + 1, at, &f) != 0)
		return -1;
	if (at[1] < '0' || at[1] > '9')
		return -1;
	errno = 0;
	run = strtoull(at + 1, &end, 10);
	if (*end != '\0' || errno != 0 || run == 0)
		return -1;
	memcpy(o->step[o->nstep].id, arg, (size_t)(colon - arg));
	o->step[o->nstep].id[colon - arg] = '\0';
	o->step[o->nstep].factor = f;
	o->step[o->nstep].run = run;
	o->nstep++;
	return 0;
}

int
gen_set_outliers(struct gen_opts *o, const char *arg)
{
	char	*end;
	double	 rate, lo, hi;

	rate = strtod(arg, &end);
	if (end == arg || *end != ':' || !(rate >= 0 && rate <= 1))
		return -1;
	arg = end + 1;
	lo = strtod(arg, &end);
	if (end == arg || *end != '-' || !(lo > 0) || isinf(lo))
		return -1;
	arg = end + 1;
	hi = strtod(arg, &end);
	if (end == arg || *end != '\0' || !(hi >= lo) || isinf(hi))
		return -1;
	o->outlier_rate = rate;
	o->outlier_min = lo;
	o->outlier_max = hi;
	return 0;
}

void
gen_executor_name(unsigned i, char *buf, size_t len)
{
	snprintf(buf, len, "D%u-Q%u", i / 5 + 1, i % 5 + 1);
}

static void
gen_profile(const struct gen_opts *o, unsigned i, struct gen_profile *p)
{
	struct gen_rng	r = { o->profile_seed * 1000003ULL + i };
	double		total = 0;
	unsigned	j;
	size_t		k;

	gen_executor_name(i, p->id, sizeof p->id);
	p->time_ms = gen_logu(&r, 5, 500);
	p->mem_mb = gen_logu(&r, 2, 200);
	p->peak_mb = p->mem_mb * (1.2 + gen_uniform(&r)) + 20;
	p->ser_ms = gen_logu(&r, 0.5, 40);
	p->ser_bytes = floor(gen_logu(&r, 1e3, 2e6));
	p->slow = 1;
	for (k = 0; k < o->nslow; k++) {
		if (strcmp(o->slow[k].id, p->id) == 0)
			p->slow = o->slow[k].factor;
	}
	p->methods = xcalloc(o->methods ? o->methods : 1, sizeof *p->methods);
	for (j = 0; j < o->methods; j++) {
		struct gen_method *m = &p->methods[j];

		snprintf(m->cls, sizeof m->cls, "%s",
		    gen_classes[gen_next(&r) % (sizeof gen_classes / sizeof *gen_classes)]);
		snprintf(m->name, sizeof m->name, "%s_%u",
		    gen_methods[gen_next(&r) % (sizeof gen_methods / sizeof *gen_methods)], j);
		m->share = 0.2 + gen_uniform(&r);
		m->mem = gen_logu(&r, 0.1, 50);
		m->calls = 1 + (double)(gen_next(&r) % 5);
		total += m->share;
	}
	for (j = 0; j < o->methods; j++)
		p->methods[j].share /= total;
}

/* A noisy positive value around mean (relative sd 8%). */
static double
gen_noisy(struct gen_rng *r, double mean)
{
	double	x = mean * (1.0 + 0.08 * gen_normal(r));

	return x > mean * 0.05 ? x : mean * 0.05;
}

static bool
gen_noise_model(const struct gen_opts *o)
{
	return o->noise > 0 || o->ar != 0 || o->outlier_rate > 0 ||
	    o->nstep > 0;
}

/* mean * exp(x) with x the next value of the AR(1) series *state (drawn
 * from its stationary distribution on the first run). */
static double
gen_lognormal(const struct gen_opts *o, struct gen_rng *r, double *state,
    bool first, double mean)
{
	double	e = o->noise * gen_normal(r);

	*state = first ? e : o->ar * *state + sqrt(1.0 - o->ar * o->ar) * e;
	return mean * exp(*state);
}

static size_t
gen_line(char *buf, size_t len, const struct gen_opts *o,
    struct gen_profile *p, struct gen_rng *r, double ts)
{
	double	t, mem, peak, ser, bytes, share;
	size_t	k;
	int	fail;
	size_t	n;
	int	w;
	unsigned j;

	p->runs++;
	if (!gen_noise_model(o)) {
		t = gen_noisy(r, p->time_ms) * p->slow;
		fail = gen_uniform(r) < o->fail_rate;
		/* The order the stream has always drawn them in. */
		bytes = floor(gen_noisy(r, p->ser_bytes));
		ser = gen_noisy(r, p->ser_ms);
		peak = gen_noisy(r, p->peak_mb);
		mem = gen_noisy(r, p->mem_mb);
	} else {
		bool	first = p->runs == 1;

		t = gen_lognormal(o, r, &p->ar[0], first, p->time_ms) * p->slow;
		if (o->outlier_rate > 0 && gen_uniform(r) < o->outlier_rate)
			t *= o->outlier_min + gen_uniform(r) *
			    (o->outlier_max - o->outlier_min);
		for (k = 0; k < o->nstep; k++) {
			if (p->runs >= o->step[k].run &&
			    strcmp(o->step[k].id, p->id) == 0)
				t *= o->step[k].factor;
		}
		fail = gen_uniform(r) < o->fail_rate;
		mem = gen_lognormal(o, r, &p->ar[1], first, p->mem_mb);
		peak = gen_lognormal(o, r, &p->ar[2], first, p->peak_mb);
		ser = gen_lognormal(o, r, &p->ar[3], first, p->ser_ms);
		bytes = floor(gen_lognormal(o, r, &p->ar[4], first, p->ser_bytes));
	}

	w = snprintf(buf, len, "{\"executor_id\":\"%s\",\"execution_time_ms\":%.3f,"
	    "\"memory_footprint_mb\":%.3f,\"memory_peak_mb\":%.3f,"
	    "\"serialization_time_ms\":%.3f,\"serialization_size_bytes\":%.0f,"
	    "\"timestamp\":%.3f,\"success\":%s,\"error\":%s,\"method_calls\":[",
	    p->id, t, mem, peak, ser, bytes, ts,
	    fail ? "false" : "true",
	    fail ? "\"RuntimeError: synthetic failure\"" : "null");
	n = (size_t)w;
	for (j = 0; j < o->methods && n < len; j++) {
		const struct gen_method *m = &p->methods[j];

		share = t * m->share;
		w = snprintf(buf + n, len - n, "%s{\"class_name\":\"%s\","
		    "\"method_name\":\"%s\",\"execution_time_ms\":%.3f,"
		    "\"memory_delta_mb\":%.3f,\"call_count\":%.0f,"
		    "\"success\":%s,\"error\":null}", j ? "," : "", m->cls,
		    m->name, share, gen_noisy(r, m->mem), m->calls,
		    fail && j + 1 == o->methods ? "false" : "true");
		n += (size_t)w;
	}
	if (n + 3 < len) {
		buf[n++] = ']';
		buf[n++] = '}';
		buf[n++] = '\n';
	}
	return n;
}

static int
gen_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static double
gen_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
gen_run(const struct gen_opts *o, int fd)
{
	struct gen_profile	*prof;
	struct gen_rng		 noise = { o->seed * 7919ULL + 17 };
	struct timespec		 next;
	char			*out;
	size_t			 used = 0, cap = GEN_BUF + 8192, n;
	uint64_t		 r;
	unsigned		 k = o->executors ? o->executors : 1, i;
	int			 rc = 0;
	double			 ts;

	prof = xcalloc(k, sizeof *prof);
	for (i = 0; i < k; i++)
		gen_profile(o, i, &prof[i]);
	out = xmalloc(cap);
	clock_gettime(CLOCK_MONOTONIC, &next);

	for (r = 0; o->records == 0 || r < o->records; r++) {
		ts = o->rate > 0 ? gen_now() : GEN_EPOCH + (double)r * 0.01;
		n = gen_line(out + used, cap - used, o, &prof[r % k], &noise, ts);
		used += n;
		if (o->rate > 0 || used >= GEN_BUF) {
			if ((rc = gen_write_all(fd, out, used)) == -1)
				break;
			used = 0;
		}
		if (o->rate > 0) {
			double	step = 1.0 / o->rate;

			next.tv_nsec += (long)(fmod(step, 1.0) * 1e9);
			next.tv_sec += (time_t)step + next.tv_nsec / 1000000000L;
			next.tv_nsec %= 1000000000L;
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
			    &next, NULL) == EINTR)
				;
		}
	}
	if (rc == 0 && used > 0)
		rc = gen_write_all(fd, out, used);
	for (i = 0; i < k; i++)
		free(prof[i].methods);
	free(prof);
	free(out);
	return rc;
}
