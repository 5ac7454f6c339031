/*
 * sketch.c - DDSketch-style quantile sketch.
 *
 * A positive value x falls in bucket i = ceil(log(x) / log(gamma)) with
 * gamma = (1 + alpha) / (1 - alpha); the bucket's representative
 * 2 * gamma^i / (gamma + 1) is within alpha of every value in it.
 * Negative values use a mirrored store; values with |x| below
 * SKETCH_MIN_VALUE count as zero.  Each store is a dense array of counts
 * from its lowest to its highest bucket; past SKETCH_MAX_BINS the lowest
 * buckets are folded together.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"
#include "xmalloc.h"

#define SKETCH_MIN_VALUE 1e-9

static double sketch_gamma, sketch_log_gamma;

static void
sketch_setup(void)
{
	if (sketch_log_gamma == 0) {
		sketch_gamma = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
		sketch_log_gamma = log(sketch_gamma);
	}
}

void
sketch_init(struct sketch *s)
{
	sketch_setup();
	memset(s, 0, sizeof *s);
	s->min = NAN;
	s->max = NAN;
}

void
sketch_free(struct sketch *s)
{
	free(s->pos.bins);
	free(s->neg.bins);
	s->pos.bins = s->neg.bins = NULL;
	s->pos.len = s->neg.len = 0;
}

static int32_t
sketch_index(double x)
{
	return (int32_t)ceil(log(x) / sketch_log_gamma);
}

static double
sketch_value(int32_t i)
{
	return 2.0 * pow(sketch_gamma, i) / (sketch_gamma + 1.0);
}

/* Adds count at bucket i, growing (or folding) the dense array. */
static void
store_add(struct sketch_store *st, int32_t i, uint64_t count)
{
	int32_t		lo, hi, nlo, nhi;
	uint32_t	nlen, k;
	uint32_t	*nb;

	if (st->len == 0) {
		st->bins = xcalloc(1, sizeof *st->bins);
		st->offset = i;
		st->len = 1;
	}
	lo = st->offset;
	hi = st->offset + (int32_t)st->len - 1;
	if (i < lo || i > hi) {
		nlo = i < lo ? i : lo;
		nhi = i > hi ? i : hi;
		if ((int64_t)nhi - nlo + 1 > SKETCH_MAX_BINS)
			nlo = nhi - SKETCH_MAX_BINS + 1;
		nlen = (uint32_t)(nhi - nlo + 1);
		nb = xcalloc(nlen, sizeof *nb);
		for (k = 0; k < st->len; k++) {
			int32_t	idx = lo + (int32_t)k;

			if (idx < nlo)
				idx = nlo;	/* fold the lowest buckets */
			nb[idx - nlo] += st->bins[k];
		}
		free(st->bins);
		st->bins = nb;
		st->offset = nlo;
		st->len = nlen;
		if (i < nlo)
			i = nlo;
	}
	st->bins[i - st->offset] += (uint32_t)count;
}

void
sketch_add(struct sketch *s, double x)
{
	if (isnan(x))
		return;
	s->count++;
	if (s->count == 1 || x < s->min)
		s->min = x;
	if (s->count == 1 || x > s->max)
		s->max = x;
	if (x > SKETCH_MIN_VALUE)
		store_add(&s->pos, sketch_index(x), 1);
	else if (x < -SKETCH_MIN_VALUE)
		store_add(&s->neg, sketch_index(-x), 1);
	else
		s->zero++;
}

static void
store_merge(struct sketch_store *a, const struct sketch_store *b)
{
	uint32_t	k;

	for (k = 0; k < b->len; k++) {
		if (b->bins[k] != 0)
			store_add(a, b->offset + (int32_t)k, b->bins[k]);
	}
}

void
sketch_merge(struct sketch *a, const struct sketch *b)
{
	if (b->count == 0)
		return;
	store_merge(&a->pos, &b->pos);
	store_merge(&a->neg, &b->neg);
	a->zero += b->zero;
	if (a->count == 0 || b->min < a->min)
		a->min = b->min;
	if (a->count == 0 || b->max > a->max)
		a->max = b->max;
	a->count += b->count;
}

double
sketch_quantile(const struct sketch *s, double q)
{
	uint64_t	rank, seen = 0;
	double		v;
	int64_t		k;

	if (s->count == 0)
		return NAN;
	if (q <= 0)
		return s->min;
	if (q >= 1)
		return s->max;
	rank = (uint64_t)floor(q * (double)(s->count - 1));

	/* Negative values, most negative (highest |x| bucket) first. */
	for (k = (int64_t)s->neg.len - 1; k >= 0; k--) {
		seen += s->neg.bins[k];
		if (seen > rank) {
			v = -sketch_value(s->neg.offset + (int32_t)k);
			goto clamp;
		}
	}
	seen += s->zero;
	if (seen > rank) {
		v = 0;
		goto clamp;
	}
	for (k = 0; k < (int64_t)s->pos.len; k++) {
		seen += s->pos.bins[k];
		if (seen > rank) {
			v = sketch_value(s->pos.offset + (int32_t)k);
			goto clamp;
		}
	}
	v = s->max;
clamp:
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}
