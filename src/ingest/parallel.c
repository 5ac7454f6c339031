/*
 * parallel.c - catch-up on a regular file with a pool of parser threads.
 *
 * The file is read in batches that end on a newline.  Worker
 * threads parse the lines of a batch (jansson values are per thread) into
 * a compact, pointer-free result; the calling thread applies the results
 * to the model strictly in file order.  Parsing, the whole cost, runs on
 * every core, while the model sees exactly the sequence of records and
 * rejections the sequential reader would give: results are identical
 * whatever the thread count.  At most a few batches per thread are in
 * flight, so memory stays bounded.  The batch machinery is shared with
 * catchup.c through parallel_int.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "ingest.h"
#include "model.h"
#include "parallel_int.h"
#include "record.h"
#include "xmalloc.h"

static uint32_t
batch_str(struct batch *b, const char *s)
{
	size_t	len;
	uint32_t off;

	if (s == NULL)
		return NO_STR;
	len = strlen(s) + 1;
	if (b->nstr + len > b->capstr) {
		while (b->nstr + len > b->capstr)
			b->capstr = b->capstr ? b->capstr * 2 : 65536;
		b->str = xrealloc(b->str, b->capstr);
	}
	off = (uint32_t)b->nstr;
	memcpy(b->str + b->nstr, s, len);
	b->nstr += len;
	return off;
}

static struct pentry *
batch_entry(struct batch *b)
{
	if (b->nent == b->capent) {
		b->capent = b->capent ? b->capent * 2 : 1024;
		b->ent = xreallocarray(b->ent, b->capent, sizeof *b->ent);
	}
	memset(&b->ent[b->nent], 0, sizeof b->ent[b->nent]);
	return &b->ent[b->nent++];
}

/* Parses one line of a batch into its results. */
static void
batch_line(struct batch *b, struct record *rec, const char *p, size_t len,
    size_t max_line)
{
	enum reject_reason	 why;
	char			 detail[MODEL_DETAIL_LEN];
	struct pentry		*e;
	struct pmethod		*pm;
	size_t			 i;

	b->lines++;
	if (len > max_line) {
		e = batch_entry(b);
		e->kind = PENTRY_REJECT;
		e->why = REJECT_LINE_TOO_LONG;
		e->line = b->lines;
		e->detail = batch_str(b, "line longer than limits.max_line_bytes");
		return;
	}
	if (ingest_blank(p, len))
		return;
	e = batch_entry(b);
	e->line = b->lines;
	if (record_parse(rec, p, len, &why, detail, sizeof detail) == -1) {
		/* batch_entry may move the array: fetch e again after. */
		uint32_t d = batch_str(b, detail);

		e = &b->ent[b->nent - 1];
		e->kind = PENTRY_REJECT;
		e->why = why;
		e->detail = d;
		record_clear(rec);
		return;
	}
	e->kind = PENTRY_RECORD;
	memcpy(e->v, rec->v, sizeof e->v);
	e->timestamp = rec->timestamp;
	e->success = rec->success;
	e->id = batch_str(b, rec->executor_id);
	e->error = batch_str(b, rec->error);
	e->meth = (uint32_t)b->nmeth;
	e->nmeth = (uint32_t)rec->nmethods;
	for (i = 0; i < rec->nunknown; i++)
		e->unknown[i] = batch_str(b, rec->unknown[i]);
	e->nunknown = rec->nunknown;
	e->unknown_in_method = rec->unknown_in_method;
	if (b->nmeth + rec->nmethods > b->capmeth) {
		while (b->nmeth + rec->nmethods > b->capmeth)
			b->capmeth = b->capmeth ? b->capmeth * 2 : 1024;
		b->meth = xreallocarray(b->meth, b->capmeth, sizeof *b->meth);
	}
	for (i = 0; i < rec->nmethods; i++) {
		const struct record_method *rm = &rec->methods[i];

		pm = &b->meth[b->nmeth++];
		pm->cls = batch_str(b, rm->class_name);
		pm->name = batch_str(b, rm->method_name);
		pm->error = batch_str(b, rm->error);
		pm->time = rm->exec_time_ms;
		pm->mem = rm->mem_delta_mb;
		pm->calls = rm->call_count;
		pm->success = rm->success;
	}
	record_clear(rec);
}

void
batch_parse(struct batch *b, struct record *rec, size_t max_line)
{
	const char	*p = b->data, *end = b->data + b->len, *nl;

	if (b->overlong) {
		batch_line(b, rec, NULL, max_line + 1, max_line);
		return;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			/* Only the file's last batch can end without a newline. */
			batch_line(b, rec, p, (size_t)(end - p), max_line);
			break;
		}
		batch_line(b, rec, p, (size_t)(nl - p), max_line);
		p = nl + 1;
	}
}

/* Empties b for its next use; its buffers stay allocated, so the read
 * and the results reuse memory already mapped (no page faults, no mmap
 * and munmap per batch). */
void
batch_release(struct batch *b)
{
	b->len = 0;
	b->overlong = false;
	b->done = 0;
	b->lines = 0;
	b->nent = b->nmeth = b->nstr = 0;
}

void
batch_free(struct batch *b)
{
	free(b->data);
	free(b->ent);
	free(b->meth);
	free(b->str);
	memset(b, 0, sizeof *b);
}

void *
pool_worker(void *arg)
{
	struct pool	*p = arg;
	struct record	 rec;
	struct batch	*b;

	record_init(&rec);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->next >= p->nread && !p->eof)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->next >= p->nread)
			break;
		b = &p->ring[p->next++ % p->ahead];
		pthread_mutex_unlock(&p->lock);
		batch_parse(b, &rec, p->max_line);
		pthread_mutex_lock(&p->lock);
		b->done = 1;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	record_free(&rec);
	return NULL;
}

static const char *
strat(const struct batch *b, uint32_t off)
{
	return off == NO_STR ? NULL : b->str + off;
}

/* Applies a parsed batch to the model; line numbers continue from base. */
void
batch_apply(struct batch *b, struct model *m, const char *name, uint64_t base)
{
	struct record	 rec;
	struct pentry	*e;
	size_t		 i, j;

	record_init(&rec);
	for (i = 0; i < b->nent; i++) {
		e = &b->ent[i];
		if (e->kind == PENTRY_REJECT) {
			model_reject(m, name, base + e->line, e->why,
			    strat(b, e->detail));
			continue;
		}
		rec.executor_id = strat(b, e->id);
		memcpy(rec.v, e->v, sizeof rec.v);
		rec.timestamp = e->timestamp;
		rec.success = e->success;
		rec.error = strat(b, e->error);
		for (j = 0; j < e->nunknown; j++)
			rec.unknown[j] = strat(b, e->unknown[j]);
		rec.nunknown = e->nunknown;
		rec.unknown_in_method = e->unknown_in_method;
		if (e->nmeth > rec.methods_cap) {
			rec.methods_cap = e->nmeth;
			rec.methods = xreallocarray(rec.methods, rec.methods_cap,
			    sizeof *rec.methods);
		}
		rec.nmethods = e->nmeth;
		for (j = 0; j < e->nmeth; j++) {
			const struct pmethod	*pm = &b->meth[e->meth + j];
			struct record_method	*rm = &rec.methods[j];

			rm->class_name = strat(b, pm->cls);
			rm->method_name = strat(b, pm->name);
			rm->error = strat(b, pm->error);
			rm->exec_time_ms = pm->time;
			rm->mem_delta_mb = pm->mem;
			rm->call_count = pm->calls;
			rm->success = pm->success;
		}
		model_add_record(m, &rec);
	}
	record_free(&rec);
}

/* Reads up to len bytes; 0 at EOF.  Returns -1 on error. */
static ssize_t
reader_read(struct reader *r, char *buf, size_t len)
{
	ssize_t	n;

	if (r->limit > 0) {
		if (r->pos >= r->limit) {
			r->eof = true;
			return 0;
		}
		if ((off_t)len > r->limit - r->pos)
			len = (size_t)(r->limit - r->pos);
	}
	do
		n = read(r->fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		r->err = errno;
	if (n > 0)
		r->pos += n;
	if (n <= 0)
		r->eof = true;
	return n;
}

/* Fills b; returns 0 when there is nothing left. */
int
reader_next(struct reader *r, struct batch *b, size_t max_line)
{
	size_t		 cap = BATCH_BYTES + r->ncarry, len;
	char		*buf, *nl;
	ssize_t		 n;

	for (;;) {
		if (r->eof && r->ncarry == 0 && !r->skipping)
			return 0;
		if (r->skipping) {
			/* Drop bytes up to the newline ending the long line. */
			char	junk[65536];

			while (!r->eof) {
				if ((n = reader_read(r, junk, sizeof junk)) <= 0)
					break;
				if ((nl = memchr(junk, '\n', (size_t)n)) != NULL) {
					r->ncarry = (size_t)(junk + n - nl - 1);
					r->carry = xmalloc(r->ncarry + 1);
					memcpy(r->carry, nl + 1, r->ncarry);
					break;
				}
			}
			r->skipping = false;
			b->overlong = true;
			return 1;
		}
		if (b->datacap < cap || b->datacap > 2 * cap) {
			/* (a buffer grown for a long line is given back) */
			free(b->data);
			b->data = xmalloc(cap);
			b->datacap = cap;
		}
		buf = b->data;
		if (r->ncarry > 0)
			memcpy(buf, r->carry, r->ncarry);
		len = r->ncarry;
		free(r->carry);
		r->carry = NULL;
		r->ncarry = 0;
		while (len < cap && !r->eof) {
			if ((n = reader_read(r, buf + len, cap - len)) > 0)
				len += (size_t)n;
		}
		if (len == 0)
			continue;
		nl = memrchr(buf, '\n', len);
		if (nl == NULL && !r->eof) {
			/* One line fills the whole buffer. */
			if (len > max_line) {
				r->skipping = true;
				continue;
			}
			r->carry = buf;		/* keep reading into a bigger buffer */
			r->ncarry = len;
			b->data = NULL;
			b->datacap = 0;
			cap = len * 2;
			continue;
		}
		if (nl != NULL && nl + 1 < buf + len) {
			r->ncarry = (size_t)(buf + len - nl - 1);
			r->carry = xmalloc(r->ncarry);
			memcpy(r->carry, nl + 1, r->ncarry);
			len = (size_t)(nl + 1 - buf);
		}
		b->len = len;
		return 1;
	}
}

int
ingest_file_parallel(const char *path, struct model *m, size_t max_line,
    unsigned nthreads, char **cause)
{
	struct pool	 p;
	struct reader	 r;
	struct record	 rec;	/* parsing here when no thread starts */
	struct batch	*b;
	pthread_t	*tid;
	struct stat	 st;
	const char	*name, *slash;
	uint64_t	 base = 0;
	unsigned	 t, started = 0;
	int		 fd, more = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	slash = strrchr(path, '/');
	name = slash != NULL && slash[1] != '\0' ? slash + 1 : path;
	json_object_seed(0);	/* before any thread parses */

	memset(&r, 0, sizeof r);
	r.fd = fd;
	record_init(&rec);
	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	p.max_line = max_line > 0 ? max_line : 1024 * 1024;
	if (nthreads == 0)
		nthreads = 1;
	p.ahead = (size_t)nthreads * BATCH_AHEAD;
	p.ring = xcalloc(p.ahead, sizeof *p.ring);

	tid = xcalloc(nthreads, sizeof *tid);
	for (t = 0; t < nthreads; t++) {
		if (pthread_create(&tid[t], NULL, pool_worker, &p) != 0)
			break;
		started++;
	}
	for (;;) {
		/* Read ahead while slots are free. */
		while (more && p.nread - p.applied < p.ahead) {
			b = &p.ring[p.nread % p.ahead];
			if ((more = reader_next(&r, b, p.max_line)) == 0)
				break;
			if (started == 0)
				batch_parse(b, &rec, p.max_line);
			pthread_mutex_lock(&p.lock);
			p.nread++;
			pthread_cond_broadcast(&p.cond);
			pthread_mutex_unlock(&p.lock);
		}
		pthread_mutex_lock(&p.lock);
		if (!more && !p.eof) {
			p.eof = true;
			pthread_cond_broadcast(&p.cond);
		}
		if (p.applied == p.nread) {
			pthread_mutex_unlock(&p.lock);
			break;
		}
		b = &p.ring[p.applied % p.ahead];
		while (started > 0 && !b->done)
			pthread_cond_wait(&p.cond, &p.lock);
		pthread_mutex_unlock(&p.lock);
		batch_apply(b, m, name, base);
		base += b->lines;
		pthread_mutex_lock(&p.lock);
		batch_release(b);	/* done is read under the lock */
		p.applied++;
		pthread_mutex_unlock(&p.lock);
	}
	for (t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	free(tid);
	for (t = 0; t < p.ahead; t++)
		batch_free(&p.ring[t]);
	free(p.ring);
	free(r.carry);
	record_free(&rec);
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
	close(fd);
	if (r.err != 0) {
		*cause = xasprintf("%s: read: %s", path, strerror(r.err));
		return -1;
	}
	return 0;
}
