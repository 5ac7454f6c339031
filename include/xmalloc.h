/*
 * xmalloc.h - allocation that never returns NULL, and fatal().
 *
 * On allocation failure or fatal(), the registered hook runs first (the TUI
 * uses it to restore the terminal), then a message "exectop: ..." goes to
 * stderr and the process exits with status 2.
 */
#ifndef EXECTOP_XMALLOC_H
#define EXECTOP_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Returns a malloc'd formatted string; never NULL. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list);

/* Hook run once before dying (restore the terminal). */
void	 fatal_set_hook(void (*)(void));
void	 fatal(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

#endif
