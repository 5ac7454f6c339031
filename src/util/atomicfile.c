/*
 * atomicfile.c - replace a file so readers see the old or the new content,
 * never a part of either.
 *
 * atomic_open() creates "<path>.tmp.XXXXXX" (mkostemp) next to the target (same
 * directory, hence same filesystem, so rename() is atomic) with the mode
 * of the file it replaces (or 0666 less the umask for a new file).
 * atomic_commit() checks every step where a full disk or an I/O error can
 * show up - each write, fflush, fsync, close - and only then renames the
 * temporary file over the target and fsyncs the directory so the rename
 * itself survives a crash.  Any failure removes the temporary file and
 * leaves the previous file as it was.
 *
 * A target that is a symbolic link is resolved first, so the link is kept
 * and the file it points to is replaced.  A dangling link (its target
 * does not exist) is itself replaced by the new file: the rule for -o.
 *
 * atomic_open_tmp()/atomic_close_tmp()/atomic_link_new() write a file
 * whose final name must be new (snapshots): the temporary file is written
 * and synced, then link()ed to its name, which fails with EEXIST rather
 * than replace anything there, a symbolic link included.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "xmalloc.h"

/* The directory part of path ("." when there is none). */
static char *
atomic_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, slash - path);
}

/* The process umask, read without changing it (other threads may be
 * creating files); 022 when /proc is not there. */
static mode_t
atomic_umask(void)
{
	FILE		*fp;
	char		 line[128];
	unsigned	 mask = 022;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return mask;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, "Umask: %o", &mask) == 1)
			break;
	}
	fclose(fp);
	return mask & 0777;
}

int
atomic_mkdirs(const char *dir, char **cause)
{
	char		*copy, *p;
	struct stat	 sb;
	int		 saved;

	if (dir == NULL || *dir == '\0')
		return 0;
	if (stat(dir, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return 0;
		*cause = xasprintf("cannot create directory %s: %s", dir,
		    strerror(ENOTDIR));
		return -1;
	}

	copy = xstrdup(dir);
	p = copy;
	for (;;) {
		while (*p == '/')
			p++;
		while (*p != '\0' && *p != '/')
			p++;
		saved = *p;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create directory %s: %s",
			    copy, strerror(errno));
			free(copy);
			return -1;
		}
		if (stat(copy, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			*cause = xasprintf("cannot create directory %s: %s",
			    copy, strerror(stat(copy, &sb) != 0 ? errno :
			    ENOTDIR));
			free(copy);
			return -1;
		}
		if (saved == '\0')
			break;
		*p = (char)saved;
	}
	free(copy);
	return 0;
}

/*
 * The stream writes through a cookie that keeps the first write error, so
 * atomic_commit() can say "No space left on device" even when the failed
 * write happened inside an earlier fwrite() of the caller; closing it
 * fsyncs and reports that error.
 */
struct atomic_cookie {
	int	fd;
	int	error;		/* first write error */
};

static ssize_t
atomic_cookie_write(void *v, const char *buf, size_t len)
{
	struct atomic_cookie	*c = v;
	size_t			 done = 0;
	ssize_t			 n;

	if (c->error != 0) {
		errno = c->error;
		return -1;
	}
	while (done < len) {
		n = write(c->fd, buf + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			c->error = errno;
			return done > 0 ? (ssize_t)done : -1;
		}
		done += n;
	}
	return (ssize_t)done;
}

static int
atomic_cookie_close(void *v)
{
	struct atomic_cookie	*c = v;
	int			 error = c->error;

	if (error == 0 && fsync(c->fd) != 0 && errno != EINVAL &&
	    errno != ENOTSUP)	/* FIFOs and devices cannot be synced */
		error = errno;
	if (close(c->fd) != 0 && error == 0)
		error = errno;
	free(c);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

static const cookie_io_functions_t atomic_io = {
	.read = NULL,
	.write = atomic_cookie_write,
	.seek = NULL,
	.close = atomic_cookie_close,
};

/*
 * Wraps fd in af->fp (writes through atomic_io).  On failure closes fd,
 * removes and forgets af->tmp and says "cannot write [in ]NAME: why".
 */
static FILE *
atomic_stream(struct atomic_file *af, int fd, const char *in,
    const char *name, char **cause)
{
	struct atomic_cookie	*cookie;

	cookie = xcalloc(1, sizeof *cookie);
	cookie->fd = fd;
	if ((af->fp = fopencookie(cookie, "w", atomic_io)) == NULL) {
		*cause = xasprintf("cannot write %s%s: %s", in, name,
		    strerror(errno));
		free(cookie);
		close(fd);
		if (af->tmp != NULL)
			unlink(af->tmp);
		free(af->tmp);
		af->tmp = NULL;
	}
	return af->fp;
}

FILE *
atomic_open(struct atomic_file *af, const char *path, char **cause)
{
	struct stat		 sb;
	char			*target, *dir, *resolved;
	mode_t			 mode;
	int			 fd;

	memset(af, 0, sizeof *af);

	/* Replace the file a symbolic link points to, not the link. */
	target = NULL;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) &&
	    (resolved = realpath(path, NULL)) != NULL) {
		target = xstrdup(resolved);
		free(resolved);
	}
	if (target == NULL)
		target = xstrdup(path);

	dir = atomic_dirname(target);
	if (atomic_mkdirs(dir, cause) != 0) {
		free(dir);
		free(target);
		return NULL;
	}
	free(dir);

	if (stat(target, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			*cause = xasprintf("cannot write %s: %s", path,
			    strerror(EISDIR));
			free(target);
			return NULL;
		}
		mode = sb.st_mode & 07777;
		af->in_place = !S_ISREG(sb.st_mode);
	} else
		mode = 0666 & ~atomic_umask();

	if (af->in_place) {
		/* O_NONBLOCK: a FIFO with no reader fails at once (ENXIO)
		 * instead of blocking; writes then block as usual. */
		fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd == -1) {
			*cause = errno == ENXIO ?
			    xasprintf("cannot write %s: a FIFO with no reader",
			    path) : xasprintf("cannot write %s: %s", path,
			    strerror(errno));
			free(target);
			return NULL;
		}
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		goto stream;
	}
	af->tmp = xasprintf("%s.tmp.XXXXXX", target);
	if ((fd = mkostemp(af->tmp, O_CLOEXEC)) == -1) {
		*cause = xasprintf("cannot write %s: %s", path,
		    strerror(errno));
		free(af->tmp);
		free(target);
		af->tmp = NULL;
		return NULL;
	}
	(void)fchmod(fd, mode);
stream:
	if (atomic_stream(af, fd, "", path, cause) == NULL) {
		free(target);
		return NULL;
	}
	af->path = target;
	return af->fp;
}

FILE *
atomic_open_tmp(struct atomic_file *af, const char *dir, char **cause)
{
	int			 fd;

	memset(af, 0, sizeof *af);
	if (atomic_mkdirs(dir, cause) != 0)
		return NULL;
	af->tmp = xasprintf("%s/.exectop.tmp.XXXXXX", dir);
	if ((fd = mkostemp(af->tmp, O_CLOEXEC)) == -1) {
		*cause = xasprintf("cannot write in %s: %s", dir,
		    strerror(errno));
		free(af->tmp);
		af->tmp = NULL;
		return NULL;
	}
	(void)fchmod(fd, 0666 & ~atomic_umask());
	if (atomic_stream(af, fd, "in ", dir, cause) == NULL)
		return NULL;
	af->path = xstrdup(dir);
	return af->fp;
}

/* Frees the names and clears the handle. */
static void
atomic_clear(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	memset(af, 0, sizeof *af);
}

/* Syncs the directory holding path so a rename in it is durable.
 * Filesystems that cannot sync a directory say EINVAL; that is fine. */
static int
atomic_sync_dir(const char *path)
{
	char	*dir = atomic_dirname(path);
	int	 fd, error = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd == -1)
		return errno;
	if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
		error = errno;
	close(fd);
	return error;
}

int
atomic_commit(struct atomic_file *af, char **cause)
{
	FILE	*fp = af->fp;
	int	 error = 0, bad;

	if (fp == NULL || (af->tmp == NULL && !af->in_place)) {
		*cause = xasprintf("cannot write %s: %s",
		    af->path != NULL ? af->path : "file", strerror(EBADF));
		atomic_abort(af);
		return -1;
	}
	af->fp = NULL;

	/* A full disk shows up here: fflush, or the fsync and close done
	 * by fclose, which also report any earlier write error. */
	if (fflush(fp) != 0)
		error = errno;
	bad = ferror(fp);
	if (fclose(fp) != 0 && error == 0)
		error = errno;
	if (error == 0 && bad)
		error = EIO;
	if (error == 0 && !af->in_place && rename(af->tmp, af->path) != 0)
		error = errno;
	if (error != 0) {
		*cause = xasprintf("cannot write %s: %s", af->path,
		    strerror(error));
		if (af->tmp != NULL)
			unlink(af->tmp);
		atomic_clear(af);
		return -1;
	}
	if (af->in_place) {
		atomic_clear(af);
		return 0;
	}

	/* The new file is in place; only its durability is in doubt. */
	if ((error = atomic_sync_dir(af->path)) != 0) {
		*cause = xasprintf("cannot write %s: %s", af->path,
		    strerror(error));
		atomic_clear(af);
		return -1;
	}
	atomic_clear(af);
	return 0;
}

int
atomic_close_tmp(struct atomic_file *af, char **cause)
{
	FILE	*fp = af->fp;
	int	 error = 0, bad;

	af->fp = NULL;
	if (fp == NULL || af->tmp == NULL)
		error = EBADF;
	else {
		if (fflush(fp) != 0)
			error = errno;
		bad = ferror(fp);
		if (fclose(fp) != 0 && error == 0)
			error = errno;
		if (error == 0 && bad)
			error = EIO;
	}
	if (error != 0) {
		*cause = xasprintf("cannot write in %s: %s",
		    af->path != NULL ? af->path : ".", strerror(error));
		if (af->tmp != NULL)
			unlink(af->tmp);
		atomic_clear(af);
		return -1;
	}
	return 0;
}

int
atomic_link_new(struct atomic_file *af, const char *path)
{
	if (af->tmp == NULL || af->fp != NULL) {
		errno = EBADF;
		return -1;
	}
	return link(af->tmp, path);
}

int
atomic_sync_dir_of(const char *path)
{
	return atomic_sync_dir(path);
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->fp != NULL)
		fclose(af->fp);
	if (af->tmp != NULL)
		unlink(af->tmp);
	atomic_clear(af);
}
