/*
 * ydoc_int.h - parts of ydoc.c shared by the config module only (config.c,
 * baseline.c); not a public interface.
 */
#ifndef EXECTOP_YDOC_INT_H
#define EXECTOP_YDOC_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "ydoc.h"

/* ydoc_load_buf() with another size limit (baselines of many executors
 * are larger than YDOC_MAX_BYTES). */
int	 ydoc_load_buf_max(const char *name, const char *buf, size_t len,
	    size_t max_bytes, struct ynode **root, char **cause);
/* Reads a whole file of at most max_bytes into a malloc'd, NUL-terminated
 * buffer; -1 with *cause ("cannot read PATH: reason") otherwise. */
int	 ydoc_read_file(const char *path, size_t max_bytes, char **buf,
	    size_t *len, char **cause);
/* Returns a malloc'd copy of untrusted text that is safe in a message:
 * control characters, C1, line/paragraph separators and bidi controls
 * become \xNN / \uNNNN escapes, invalid UTF-8 bytes \xNN, and long text is
 * cut to about 64 bytes with "...". */
char	*ydoc_clean(const char *);
/* "FILE:LINE: key 'KEY': " (line 0 and a NULL key are left out). */
char	*ydoc_where(const char *file, int line, const char *key);
/* Sets *cause to ydoc_where() followed by the formatted reason; returns
 * -1 so loaders can `return ydoc_vfail(...)`. */
int	 ydoc_vfail(char **cause, const char *file, int line, const char *key,
	    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

#endif
