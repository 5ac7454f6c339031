/*
 * fuzz_file.h - for the file loaders' fuzz targets: the input is written
 * to a file in a private directory on a tmpfs (/dev/shm when there is
 * one), which the loader then reads by path, as it would in real use.
 */
#ifndef EXECTOP_FUZZ_FILE_H
#define EXECTOP_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh private directory, made once per process, under
 * $EXECTOP_FUZZ_TMP when set (tests/fuzz/run.sh sets it and removes it
 * afterwards), else /dev/shm or /tmp. */
static const char *
fuzz_dir(void)
{
	static char	 dir[256];
	const char	*base = getenv("EXECTOP_FUZZ_TMP");

	if (dir[0] == '\0') {
		if (base == NULL || *base == '\0')
			base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/exectop-fuzz.XXXXXX", base);
		if (mkdtemp(dir) == NULL)
			abort();
	}
	return dir;
}

/* Writes data to DIR/name and returns the path (static buffer). */
static const char *
fuzz_put(const char *name, const uint8_t *data, size_t size)
{
	static char	 path[128];
	FILE		*f;

	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();
	return path;
}

#endif
