/*
 * fuzz_baseline.c - libFuzzer target for the baseline loader (exectop's
 * YAML and the profiler's JSON).  A baseline that loads is saved and
 * loaded again, and must come back the same: every id and every number.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "fuzz_file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
same(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return a == b;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct baseline	*b = NULL, *again = NULL;
	char		*cause = NULL, saved[160];
	const char	*path = fuzz_put("baseline.yaml", data, size);
	const unsigned char *p;
	size_t		 i;
	int		 k;

	if (baseline_load(&b, path, &cause) == -1) {
		for (p = (const unsigned char *)cause; *p != '\0'; p++) {
			if (*p < 0x20 || *p == 0x7f)
				abort();
		}
		free(cause);
		return 0;
	}
	snprintf(saved, sizeof saved, "%s/saved.yaml", fuzz_dir());
	if (baseline_save(b, saved, &cause) == -1) {
		fprintf(stderr, "save failed: %s\n", cause);
		abort();
	}
	if (baseline_load(&again, saved, &cause) == -1) {
		fprintf(stderr, "saved, then refused: %s\n", cause);
		abort();
	}
	if (again->n != b->n)
		abort();
	for (i = 0; i < b->n; i++) {
		if (strcmp(b->entries[i].executor_id,
		    again->entries[i].executor_id) != 0)
			abort();
		for (k = 0; k < METRIC_COUNT; k++) {
			const struct baseline_metric *x = &b->entries[i].m[k];
			const struct baseline_metric *y = &again->entries[i].m[k];

			if (x->present != y->present)
				abort();
			if (!x->present)
				continue;
			if (x->n != y->n || !same(x->mean, y->mean) ||
			    !same(x->variance, y->variance) ||
			    !same(x->min, y->min) || !same(x->max, y->max) ||
			    !same(x->p50, y->p50) || !same(x->p95, y->p95))
				abort();
		}
	}
	baseline_free(again);
	baseline_free(b);
	return 0;
}
