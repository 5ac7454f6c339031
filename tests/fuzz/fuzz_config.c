/*
 * fuzz_config.c - libFuzzer target for the configuration loader
 * (config_load through ydoc and libyaml).  When a file loads, the tuned
 * values are changed and written back in place (config_write_back), and
 * the file must then load again with exactly those values: write-back
 * may refuse, but never produce a file that reads differently.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The error text goes to a status line: one line, nothing raw. */
static void
check_cause(const char *cause)
{
	const unsigned char	*p;

	if (cause == NULL)
		abort();
	for (p = (const unsigned char *)cause; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 c, again;
	char		*cause = NULL;
	const char	*path = fuzz_put("exectop.yaml", data, size);
	int		 k;

	if (config_load(&c, path, &cause) == -1) {
		check_cause(cause);
		free(cause);
		return 0;
	}
	for (k = 0; k < METRIC_COUNT; k++) {
		c.has_threshold[k] = k % 2 == 0;
		c.threshold[k] = 12.5 + k;
	}
	c.critical_factor = 2.75;
	c.min_samples = 3;
	c.significance = 0.01;
	if (config_write_back(&c, &cause) == -1) {
		check_cause(cause);
		free(cause);
		config_free(&c);
		return 0;
	}
	if (config_load(&again, path, &cause) == -1) {
		fprintf(stderr, "written back, then refused: %s\n", cause);
		abort();
	}
	for (k = 0; k < METRIC_COUNT; k++) {
		if (again.has_threshold[k] != c.has_threshold[k] ||
		    (c.has_threshold[k] && again.threshold[k] != c.threshold[k]))
			abort();
	}
	if (again.critical_factor != c.critical_factor ||
	    again.min_samples != c.min_samples ||
	    again.significance != c.significance ||
	    again.window != c.window || again.top_n != c.top_n ||
	    again.refresh_ms != c.refresh_ms)
		abort();
	config_free(&again);
	config_free(&c);
	return 0;
}
