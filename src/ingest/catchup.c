/*
 * catchup.c - the TUI's initial read of an existing regular file, parsed
 * on every core in the background while the UI stays responsive.
 *
 * It is parallel.c's machinery (parallel_int.h) turned inside out: a
 * reader thread cuts the file into batches of whole lines and the pool's
 * worker threads parse them, while the caller - the UI thread - applies
 * parsed batches to the model in file order, as many as fit in a time
 * budget per call (catchup_apply), and never waits for one.  The model is
 * only ever touched by that one thread, and it sees exactly the records
 * and rejections, with the same line numbers, a sequential read gives.
 *
 * The catch-up covers the file up to the end of its last complete line;
 * when it gets there and the file has grown by at least CATCHUP_EXTEND
 * bytes meanwhile, it goes on to the new last complete line.  Then the
 * caller hands the descriptor and the offset to source_resume(), and the
 * source follows the file from there: a partial last line is left to the
 * source, which holds it until its newline comes.
 *
 * A pipe tells the caller's poll() when a parsed batch is waiting to be
 * applied, so an idle UI loop sleeps while the workers parse.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ingest.h"
#include "model.h"
#include "parallel_int.h"
#include "record.h"
#include "xmalloc.h"

#define CATCHUP_EXTEND	(1024 * 1024)	/* growth worth another stretch */
#define CATCHUP_SCAN	65536		/* backwards scan for the last newline */

struct catchup {
	struct pool	 p;
	struct reader	 r;
	struct record	 rec;		/* the reader parses when no worker runs */
	pthread_t	 reader_tid;
	bool		 reader_started;
	pthread_t	*tid;
	unsigned	 started;
	int		 fd;
	int		 wake[2];	/* readable: a batch is ready, or done */
	char		 name[64];

	/* Under p.lock. */
	bool		 cancel;
	bool		 finished;	/* the reader read its last batch */
	size_t		 announced;	/* batches announced on wake */
	off_t		 end;		/* current limit */

	/* The applying thread's. */
	off_t		 start;
	off_t		 offset;	/* after the last applied batch */
	uint64_t	 lines;		/* line number of the last applied line */
	uint64_t	 records;	/* accepted records applied */
	uint64_t	 invalid;	/* rejected lines applied */
};

/* The offset just after the last newline in [from, size), or from. */
static off_t
catchup_last_newline(int fd, off_t from, off_t size)
{
	char	buf[CATCHUP_SCAN], *nl;
	off_t	hi = size, lo;
	ssize_t	n;

	while (hi > from) {
		lo = hi - CATCHUP_SCAN > from ? hi - CATCHUP_SCAN : from;
		n = pread(fd, buf, (size_t)(hi - lo), lo);
		if (n <= 0)
			return from;
		if ((nl = memrchr(buf, '\n', (size_t)n)) != NULL)
			return lo + (nl - buf) + 1;
		hi = lo;
	}
	return from;
}

static void
catchup_wake(struct catchup *c)
{
	ssize_t	n;

	n = write(c->wake[1], "x", 1);	/* full pipe: already awake */
	(void)n;
}

/*
 * At the limit: when the file grew by CATCHUP_EXTEND or more, moves the
 * limit to its new last complete line and returns 1.  Called unlocked,
 * by the reader thread only.
 */
static int
catchup_extend(struct catchup *c)
{
	struct stat	st;
	off_t		e;

	if (c->r.err != 0 || c->r.ncarry != 0 || c->r.skipping ||
	    fstat(c->fd, &st) == -1 || st.st_size < c->r.pos + CATCHUP_EXTEND)
		return 0;
	e = catchup_last_newline(c->fd, c->r.pos, st.st_size);
	if (e <= c->r.pos)
		return 0;
	pthread_mutex_lock(&c->p.lock);
	c->end = e;
	pthread_mutex_unlock(&c->p.lock);
	c->r.limit = e;
	c->r.eof = false;
	return 1;
}

static void *
catchup_reader(void *arg)
{
	struct catchup	*c = arg;
	struct pool	*p = &c->p;
	struct batch	*b;
	int		 more = 1;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		if (c->cancel)
			break;
		/* Tell the UI thread the next batch it applies is parsed. */
		if (p->applied < p->nread && c->announced <= p->applied &&
		    p->ring[p->applied % p->ahead].done) {
			c->announced = p->applied + 1;
			catchup_wake(c);
		}
		if (more && p->nread - p->applied < p->ahead) {
			b = &p->ring[p->nread % p->ahead];
			pthread_mutex_unlock(&p->lock);
			more = reader_next(&c->r, b, p->max_line);
			if (!more && catchup_extend(c))
				more = reader_next(&c->r, b, p->max_line);
			if (more) {
				b->end = c->r.pos - (off_t)c->r.ncarry;
				if (c->started == 0) {
					batch_parse(b, &c->rec, p->max_line);
					b->done = 1;
				}
			}
			pthread_mutex_lock(&p->lock);
			if (more)
				p->nread++;
			else {
				p->eof = true;
				c->finished = true;
				catchup_wake(c);
			}
			pthread_cond_broadcast(&p->cond);
			continue;
		}
		if (!more && p->applied == p->nread)
			break;
		pthread_cond_wait(&p->cond, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct catchup *
catchup_start(const char *path, off_t offset, uint64_t lines,
    size_t max_line_bytes, unsigned nthreads, char **cause)
{
	struct catchup	*c;
	struct stat	 st;
	const char	*slash;
	unsigned	 t;
	int		 fd;

	*cause = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*cause = xasprintf("%s: not a regular file", path);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->wake[0] = c->wake[1] = -1;
	c->start = c->offset = offset;
	c->lines = lines;
	c->end = catchup_last_newline(fd, offset, st.st_size);
	slash = strrchr(path, '/');
	snprintf(c->name, sizeof c->name, "%s", slash != NULL &&
	    slash[1] != '\0' ? slash + 1 : path);
	if (pipe2(c->wake, O_NONBLOCK | O_CLOEXEC) == -1 ||
	    lseek(fd, offset, SEEK_SET) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		catchup_free(c);
		return NULL;
	}
	posix_fadvise(fd, offset, 0, POSIX_FADV_SEQUENTIAL);
	json_object_seed(0);	/* before any thread parses */

	c->r.fd = fd;
	c->r.pos = offset;
	c->r.limit = c->end;
	record_init(&c->rec);
	pthread_mutex_init(&c->p.lock, NULL);
	pthread_cond_init(&c->p.cond, NULL);
	c->p.max_line = max_line_bytes > 0 ? max_line_bytes : 1024 * 1024;
	if (nthreads == 0)
		nthreads = 1;
	c->p.ahead = (size_t)nthreads * BATCH_AHEAD;
	c->p.ring = xcalloc(c->p.ahead, sizeof *c->p.ring);
	if (c->end <= offset) {
		/* No complete line: nothing to do. */
		c->p.eof = true;
		c->finished = true;
		return c;
	}
	c->tid = xcalloc(nthreads, sizeof *c->tid);
	for (t = 0; t < nthreads; t++) {
		if (pthread_create(&c->tid[t], NULL, pool_worker, &c->p) != 0)
			break;
		c->started++;
	}
	if (pthread_create(&c->reader_tid, NULL, catchup_reader, c) != 0) {
		*cause = xasprintf("%s: cannot start a thread", path);
		catchup_free(c);
		return NULL;
	}
	c->reader_started = true;
	return c;
}

void
catchup_free(struct catchup *c)
{
	unsigned	t;
	size_t		i;

	if (c == NULL)
		return;
	if (c->p.ring != NULL) {
		pthread_mutex_lock(&c->p.lock);
		c->cancel = true;
		c->p.eof = true;
		pthread_cond_broadcast(&c->p.cond);
		pthread_mutex_unlock(&c->p.lock);
		if (c->reader_started)
			pthread_join(c->reader_tid, NULL);
		for (t = 0; t < c->started; t++)
			pthread_join(c->tid[t], NULL);
		for (i = 0; i < c->p.ahead; i++)
			batch_free(&c->p.ring[i]);
		free(c->p.ring);
		pthread_cond_destroy(&c->p.cond);
		pthread_mutex_destroy(&c->p.lock);
		record_free(&c->rec);
	}
	free(c->tid);
	free(c->r.carry);
	if (c->fd != -1)
		close(c->fd);
	for (i = 0; i < 2; i++) {
		if (c->wake[i] != -1)
			close(c->wake[i]);
	}
	free(c);
}

static uint64_t
catchup_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The next batch to apply when it is parsed, else NULL (locked). */
static struct batch *
catchup_next_locked(struct catchup *c)
{
	struct batch	*b;

	if (c->p.applied == c->p.nread)
		return NULL;
	b = &c->p.ring[c->p.applied % c->p.ahead];
	return b->done ? b : NULL;
}

size_t
catchup_apply(struct catchup *c, struct model *m, uint64_t budget_us)
{
	struct batch	*b;
	char		 drain[64];
	uint64_t	 t0 = catchup_now_us(), records, invalid;
	size_t		 n = 0;

	while (read(c->wake[0], drain, sizeof drain) > 0)
		;
	for (;;) {
		pthread_mutex_lock(&c->p.lock);
		b = catchup_next_locked(c);
		pthread_mutex_unlock(&c->p.lock);
		if (b == NULL)
			break;
		records = m->records;
		invalid = m->invalid;
		batch_apply(b, m, c->name, c->lines);
		c->records += m->records - records;
		c->invalid += m->invalid - invalid;
		c->lines += b->lines;
		c->offset = b->end;
		/* Emptied under the lock: the reader looks at this slot's done
		 * until applied moves past it (TSan found the race). */
		pthread_mutex_lock(&c->p.lock);
		batch_release(b);
		c->p.applied++;
		pthread_cond_broadcast(&c->p.cond);
		pthread_mutex_unlock(&c->p.lock);
		n++;
		if (catchup_now_us() - t0 >= budget_us)
			break;
	}
	return n;
}

bool
catchup_ready(struct catchup *c)
{
	bool	ready;

	pthread_mutex_lock(&c->p.lock);
	ready = catchup_next_locked(c) != NULL;
	pthread_mutex_unlock(&c->p.lock);
	return ready;
}

bool
catchup_done(struct catchup *c)
{
	bool	done;

	pthread_mutex_lock(&c->p.lock);
	done = c->finished && c->p.applied == c->p.nread;
	pthread_mutex_unlock(&c->p.lock);
	return done;
}

int
catchup_fd(const struct catchup *c)
{
	return c->wake[0];
}

int
catchup_take_file(struct catchup *c, off_t *offset, uint64_t *lines)
{
	int	fd;

	if (!catchup_done(c))
		return -1;
	if (c->reader_started) {
		pthread_join(c->reader_tid, NULL);
		c->reader_started = false;
	}
	fd = c->fd;
	c->fd = -1;
	*offset = c->offset;
	*lines = c->lines;
	return fd;
}

void
catchup_progress(struct catchup *c, struct catchup_progress *pr)
{
	pthread_mutex_lock(&c->p.lock);
	pr->end = c->end;
	pthread_mutex_unlock(&c->p.lock);
	pr->start = c->start;
	pr->offset = c->offset;
	pr->lines = c->lines;
	pr->records = c->records;
	pr->invalid = c->invalid;
}
