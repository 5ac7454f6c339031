/*
 * atomicfile.h - write a file so readers see the old or the new content,
 * never a part: temporary file in the same directory, fflush, fsync,
 * fclose (checked), rename, fsync of the directory.
 */
#ifndef EXECTOP_ATOMICFILE_H
#define EXECTOP_ATOMICFILE_H

#include <stdio.h>

struct atomic_file {
	FILE	*fp;
	char	*path;
	char	*tmp;		/* NULL when writing in place */
	int	 in_place;	/* a FIFO or device: written directly */
};

/* Creates the directory when missing (mkdir -p).  A path naming a FIFO,
 * a device or a socket is written in place (there is nothing to replace
 * atomically, and replacing it would break its readers).  Returns the
 * stream to write to, or NULL with *cause set. */
FILE	*atomic_open(struct atomic_file *, const char *path, char **cause);
/* Checks every step; on failure removes the temporary file, leaves the
 * previous file intact, returns -1 with *cause set. */
int	 atomic_commit(struct atomic_file *, char **cause);
/* Drops the temporary file. */
void	 atomic_abort(struct atomic_file *);
/* mkdir -p; -1 with *cause set. */
int	 atomic_mkdirs(const char *dir, char **cause);

#endif
