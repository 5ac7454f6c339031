/*
 * source.c - record sources: regular files (followed like `tail -F` in
 * follow mode), named FIFOs and stdin.
 *
 * Nothing here blocks.  FIFOs are opened O_NONBLOCK and read only when
 * poll() says so: before any writer came, read() returns 0 without that
 * meaning end of stream.  When the last writer leaves, report mode ends
 * the source; follow mode opens the FIFO again *before* closing the old
 * descriptor, so the pipe never lacks a reader (no writer ever sees EPIPE,
 * no byte is lost) and the new descriptor does not report POLLHUP until a
 * new writer has come and gone: no busy loop.
 *
 * A followed file is checked on every source_tick(): growth is read;
 * a size below our offset, or first bytes that differ from the ones we
 * read (truncate-then-grow, copytruncate), restart from 0; a path that now
 * names another inode (rotation) is drained from the old descriptor first,
 * then opened anew; a missing path is waited for.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "model.h"
#include "record.h"
#include "redis_int.h"
#include "xmalloc.h"

#define SOURCE_CHUNK	65536
#define SOURCE_FP_LEN	64	/* bytes of the file's start remembered */

struct source {
	char			*path;
	char			 name[64];	/* for rejection reports */
	enum source_kind	 kind;
	bool			 follow;
	int			 fd;
	enum source_state	 state;
	char			*error;

	struct redis_src	*redis;		/* SOURCE_REDIS */

	struct linebuf		 lb;
	struct record		 rec;
	struct model		*model;		/* during a read */

	/* Regular files. */
	dev_t			 dev;
	ino_t			 ino;
	off_t			 offset;
	off_t			 catchup_end;	/* size when opened */
	unsigned char		 fp[SOURCE_FP_LEN];
	size_t			 fplen;

	uint64_t		 lines;
	uint64_t		 bytes;
};

static void
source_line(void *arg, const char *line, size_t len, uint64_t lineno,
    bool too_long)
{
	struct source	*s = arg;

	s->lines++;
	ingest_line_with(s->model, &s->rec, s->name, line, len, lineno,
	    too_long);
}

static void
source_set_error(struct source *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
source_set_error(struct source *s, const char *fmt, ...)
{
	va_list	ap;

	free(s->error);
	va_start(ap, fmt);
	s->error = xvasprintf(fmt, ap);
	va_end(ap);
	s->state = SOURCE_ERROR;
}

/* Hands over a held partial line (end of a writer or of the stream). */
static void
source_flush(struct source *s, struct model *m)
{
	s->model = m;
	linebuf_flush(&s->lb, source_line, s);
}

static void
source_close_fd(struct source *s)
{
	if (s->fd > 2 || (s->fd >= 0 && s->kind != SOURCE_STDIN))
		close(s->fd);
	s->fd = -1;
}

/* Opens a regular file from its start.  Returns 0, or -1 with errno. */
static int
source_open_file(struct source *s, int fd)
{
	struct stat	st;

	if (fstat(fd, &st) == -1)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	s->fd = fd;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->offset = 0;
	s->fplen = 0;
	s->catchup_end = S_ISREG(st.st_mode) ? st.st_size : 0;
	s->state = s->catchup_end > 0 ? SOURCE_CATCHING_UP : SOURCE_READING;
	linebuf_reset(&s->lb);
	return 0;
}

/* Opens (or reopens) the path.  Returns 0, or -1 with errno.  The open
 * never blocks: O_NONBLOCK always (a path can become a FIFO between any
 * stat and the open), the kind is judged on the descriptor, and a
 * regular file gets blocking reads back. */
static int
source_open_path(struct source *s)
{
	struct stat	st;
	int		fd, fl;

	if ((fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	if (S_ISFIFO(st.st_mode)) {
		s->kind = SOURCE_FIFO;
		s->fd = fd;
		s->ino = st.st_ino;
		s->dev = st.st_dev;
		s->state = SOURCE_WAITING;
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		close(fd);
		return -1;
	}
	s->kind = SOURCE_FILE;
	if (source_open_file(s, fd) == -1) {
		close(fd);
		return -1;
	}
	return 0;
}

struct source *
source_open(const char *path, bool follow, size_t max_line_bytes,
    char **cause)
{
	struct source	*s;
	const char	*base;

	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->follow = follow;
	s->fd = -1;
	record_init(&s->rec);
	linebuf_init(&s->lb, max_line_bytes);
	base = strrchr(path, '/');
	snprintf(s->name, sizeof s->name, "%s", base != NULL && base[1] != '\0' ?
	    base + 1 : path);

	if (redis_src_is_url(path)) {
		s->kind = SOURCE_REDIS;
		free(s->path);
		s->path = redis_src_redact(path);
		if ((s->redis = redis_src_open(path, follow, cause)) == NULL) {
			source_close(s);
			return NULL;
		}
		snprintf(s->name, sizeof s->name, "%s",
		    redis_src_key(s->redis));
		return s;
	}
	if (strcmp(path, "-") == 0) {
		s->kind = SOURCE_STDIN;
		s->fd = STDIN_FILENO;
		s->state = SOURCE_READING;
		snprintf(s->name, sizeof s->name, "stdin");
		return s;
	}
	s->kind = SOURCE_FILE;
	if (source_open_path(s) == -1) {
		if (!follow) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			source_close(s);
			return NULL;
		}
		if (errno == ENOENT)
			s->state = SOURCE_WAITING;
		else
			source_set_error(s, "%s", strerror(errno));
	}
	return s;
}

char *
source_display(const char *arg)
{
	return redis_src_redact(arg);
}

char *
source_display_list(char *const *args, size_t n)
{
	char	*s = xstrdup(""), *joined, *d;
	size_t	 i;

	for (i = 0; i < n; i++) {
		d = source_display(args[i]);
		joined = xasprintf("%s%s%s", s, i > 0 ? ", " : "", d);
		free(d);
		free(s);
		s = joined;
	}
	return s;
}

void
source_close(struct source *s)
{
	if (s == NULL)
		return;
	redis_src_close(s->redis);
	source_close_fd(s);
	linebuf_free(&s->lb);
	record_free(&s->rec);
	free(s->error);
	free(s->path);
	free(s);
}

int
source_fd(const struct source *s)
{
	if (s->kind == SOURCE_FILE)
		return -1;
	if (s->kind == SOURCE_REDIS)
		return redis_src_fd(s->redis);
	return s->fd;
}

/* Whether fd has data or a hang-up, without waiting. */
static int
source_ready(int fd)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	return pfd.revents != 0;
}

/* Remembers the first bytes of a file as read, to notice replacement. */
static void
source_fingerprint(struct source *s, const char *buf, size_t n)
{
	size_t	take;

	if (s->offset >= SOURCE_FP_LEN || (size_t)s->offset != s->fplen)
		return;
	take = SOURCE_FP_LEN - s->fplen;
	if (take > n)
		take = n;
	memcpy(s->fp + s->fplen, buf, take);
	s->fplen += take;
}

/* The writers of a FIFO all left. */
static void
source_fifo_hangup(struct source *s, struct model *m)
{
	int	fd;

	source_flush(s, m);
	if (!s->follow) {
		source_close_fd(s);
		s->state = SOURCE_EOF;
		return;
	}
	/* Reopen before closing, so the pipe always has a reader. */
	fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		source_close_fd(s);
		source_set_error(s, "reopen: %s", strerror(errno));
		return;
	}
	source_close_fd(s);
	s->fd = fd;
	s->state = SOURCE_WAITING;
}

size_t
source_read(struct source *s, struct model *m, size_t budget)
{
	char	buf[SOURCE_CHUNK];
	size_t	total = 0, want;
	ssize_t	n;

	if (s->kind == SOURCE_REDIS) {
		n = (ssize_t)redis_src_read(s->redis, m, &s->rec, s->name,
		    s->lb.max, budget, &s->lines);
		s->bytes += (uint64_t)n;
		return (size_t)n;
	}
	if (s->fd == -1 || s->state == SOURCE_EOF)
		return 0;
	s->model = m;
	while (total < budget) {
		if (s->kind != SOURCE_FILE && !source_ready(s->fd))
			break;
		want = budget - total < sizeof buf ? budget - total : sizeof buf;
		n = read(s->fd, buf, want);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			source_set_error(s, "read: %s", strerror(errno));
			source_close_fd(s);
			break;
		}
		if (n == 0) {
			if (s->kind == SOURCE_FIFO) {
				source_fifo_hangup(s, m);
			} else if (s->kind == SOURCE_STDIN || !s->follow) {
				source_flush(s, m);
				source_close_fd(s);
				s->state = SOURCE_EOF;
			} else
				s->state = SOURCE_READING;
			break;
		}
		if (s->kind == SOURCE_FILE) {
			source_fingerprint(s, buf, (size_t)n);
			s->offset += n;
			if (s->state == SOURCE_CATCHING_UP &&
			    s->offset >= s->catchup_end)
				s->state = SOURCE_READING;
		} else
			s->state = SOURCE_READING;
		s->bytes += (uint64_t)n;
		total += (size_t)n;
		linebuf_feed(&s->lb, buf, (size_t)n, source_line, s);
	}
	return total;
}

/* Whether the file's first bytes still are the ones we read. */
static int
source_same_start(struct source *s)
{
	unsigned char	buf[SOURCE_FP_LEN];
	ssize_t		n;

	if (s->fplen == 0)
		return 1;
	n = pread(s->fd, buf, s->fplen, 0);
	return n == (ssize_t)s->fplen && memcmp(buf, s->fp, s->fplen) == 0;
}

/* Reads what is left of the current descriptor (before a rotation). */
static void
source_drain(struct source *s, struct model *m)
{
	while (s->fd != -1 && source_read(s, m, SIZE_MAX) > 0)
		;
	source_flush(s, m);
}

void
source_tick(struct source *s, struct model *m)
{
	struct stat	st, fst;

	if (!s->follow || s->kind == SOURCE_STDIN || s->kind == SOURCE_REDIS)
		return;
	if (s->kind == SOURCE_FIFO) {
		/* A FIFO that could not be reopened: try again. */
		if (s->fd != -1 && stat(s->path, &st) == 0 &&
		    (st.st_ino != s->ino || st.st_dev != s->dev)) {
			/* Deleted and made again: the new one is it. */
			source_drain(s, m);
			source_close_fd(s);
		}
		if (s->fd == -1 && source_open_path(s) == -1)
			source_set_error(s, "%s", strerror(errno));
		return;
	}
	if (s->fd == -1) {
		/* Missing or failed: try again (it may come back as a
		 * FIFO: never a blocking open). */
		if (source_open_path(s) == -1) {
			if (errno == ENOENT)
				s->state = SOURCE_WAITING;
			else
				source_set_error(s, "%s", strerror(errno));
		}
		return;
	}
	if (stat(s->path, &st) == -1 || st.st_ino != s->ino ||
	    st.st_dev != s->dev) {
		/* Rotated or deleted: finish the old file first. */
		source_drain(s, m);
		source_close_fd(s);
		s->state = SOURCE_WAITING;
		source_tick(s, m);
		return;
	}
	if (fstat(s->fd, &fst) == -1)
		return;
	if (fst.st_size < s->offset || !source_same_start(s)) {
		/* Truncated (or rewritten in place): start again. */
		lseek(s->fd, 0, SEEK_SET);
		s->offset = 0;
		s->fplen = 0;
		s->catchup_end = fst.st_size;
		s->state = fst.st_size > 0 ? SOURCE_CATCHING_UP : SOURCE_READING;
		linebuf_reset(&s->lb);
	}
}

enum source_kind
source_kind(const struct source *s)
{
	return s->kind;
}

enum source_state
source_state(const struct source *s)
{
	if (s->kind == SOURCE_REDIS)
		return redis_src_state(s->redis);
	return s->state;
}

const char *
source_path(const struct source *s)
{
	return s->path;
}

const char *
source_status(const struct source *s, char *buf, size_t len)
{
	if (s->kind == SOURCE_REDIS)
		return redis_src_status(s->redis, buf, len);
	switch (s->state) {
	case SOURCE_READING:
		snprintf(buf, len, "reading");
		break;
	case SOURCE_CATCHING_UP:
		snprintf(buf, len, "catching up %d%%", s->catchup_end > 0 ?
		    (int)(100.0 * (double)s->offset / (double)s->catchup_end) : 100);
		break;
	case SOURCE_WAITING:
		snprintf(buf, len, "%s", s->kind == SOURCE_FIFO ?
		    "waiting for writer" : "waiting for file");
		break;
	case SOURCE_EOF:
		snprintf(buf, len, "EOF");
		break;
	case SOURCE_ERROR:
		snprintf(buf, len, "%s", s->error != NULL ? s->error : "error");
		break;
	}
	return buf;
}

uint64_t
source_lines(const struct source *s)
{
	return s->lines;
}

uint64_t
source_bytes(const struct source *s)
{
	return s->bytes;
}

int
source_resume(struct source *s, int fd, off_t offset, uint64_t lines)
{
	ssize_t	n;

	if (s->kind != SOURCE_FILE || !s->follow || s->lines != 0 ||
	    lseek(fd, offset, SEEK_SET) == -1) {
		close(fd);
		return -1;
	}
	source_close_fd(s);
	if (source_open_file(s, fd) == -1) {
		source_set_error(s, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	/* As if we had read the first offset bytes ourselves. */
	n = pread(fd, s->fp, offset < SOURCE_FP_LEN ? (size_t)offset :
	    SOURCE_FP_LEN, 0);
	s->fplen = n > 0 ? (size_t)n : 0;
	s->offset = offset;
	s->lb.lineno = lines;
	s->lines = lines;
	s->bytes = (uint64_t)offset;
	if (s->offset >= s->catchup_end)
		s->state = SOURCE_READING;
	return 0;
}
