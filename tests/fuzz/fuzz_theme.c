/*
 * fuzz_theme.c - libFuzzer target for the colour theme loader
 * (theme_load, src/tui/theme.c, which uses no ncurses).  A theme that
 * loads has every colour in range; an error is one line with no control
 * characters.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "internal.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme	 t;
	char		*cause = NULL;
	const char	*path = fuzz_put("theme.yaml", data, size);
	const unsigned char *p;
	int		 e;

	memset(&t, 0, sizeof t);
	if (theme_load(&t, path, &cause) == -1) {
		/* Shown in the status line: no control characters. */
		if (cause == NULL)
			abort();
		for (p = (const unsigned char *)cause; *p != '\0'; p++) {
			if (*p < 0x20 || *p == 0x7f)
				abort();
		}
		free(cause);
		return 0;
	}
	for (e = 0; e < THEME_COUNT; e++) {
		if (t.st[e].fg < THEME_DEFAULT_COLOR || t.st[e].fg > 255 ||
		    t.st[e].bg < THEME_DEFAULT_COLOR || t.st[e].bg > 255)
			abort();
	}
	theme_free(&t);
	return 0;
}
