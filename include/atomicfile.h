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
/* A temporary file in dir (made if missing) for a file whose name is
 * chosen later with atomic_link_new(). */
FILE	*atomic_open_tmp(struct atomic_file *, const char *dir, char **cause);
/* Flushes, fsyncs and closes it, keeping the temporary file; on failure
 * removes it and returns -1 with *cause set. */
int	 atomic_close_tmp(struct atomic_file *, char **cause);
/* link(2)s the closed temporary file to path: -1 with errno EEXIST when
 * anything (a symbolic link too) is there; never replaces.  atomic_abort()
 * then removes the temporary name. */
int	 atomic_link_new(struct atomic_file *, const char *path);
/* fsync of the directory holding path: 0 or an errno. */
int	 atomic_sync_dir_of(const char *path);
/* mkdir -p; -1 with *cause set. */
int	 atomic_mkdirs(const char *dir, char **cause);

#endif
