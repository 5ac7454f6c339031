/*
 * redis.c - a Redis stream as a record source (issue 15).
 *
 * A reader thread owns a blocking hiredis connection (connect timeout
 * REDIS_CONNECT_MS, reply timeout REDIS_REPLY_MS) and reads the stream
 * with XREAD COUNT REDIS_BATCH BLOCK REDIS_BLOCK_MS from the last entry ID
 * it has seen: no busy waiting, and after a reconnect nothing is read
 * twice or skipped while the stream still holds it.  Replies are queued
 * (at most REDIS_QUEUE of them, so memory does not grow with a backlog:
 * the backlog stays in Redis) and a byte on a pipe wakes the caller's
 * poll(); the caller parses them on its own thread with the same record
 * parser as every other source, so the model is touched by one thread.
 *
 * Follow mode (the TUI) starts after the last entry existing at connect
 * (?from-start: at the first), retries a lost or failed connection with
 * backoff 1, 2, 4 .. 30 s, and compares XINFO STREAM with its position:
 * entries trimmed before it read them are reported, counted when the
 * server has entries-added (Redis 7).  Report mode reads from the first
 * entry up to the last one that existed when it connected, then ends; a
 * failure there is an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "ingest.h"
#include "model.h"
#include "record.h"
#include "numfmt.h"
#include "xmalloc.h"
#include "redis_int.h"

#define REDIS_CONNECT_MS	2000
#define REDIS_REPLY_MS		5000
#define REDIS_BLOCK_MS		1000
#define REDIS_BATCH		1000
#define REDIS_QUEUE		8
#define REDIS_INFO_MS		500
#define REDIS_BACKOFF_MAX	30
#define REDIS_FIELD		"record"
#define REDIS_PASSWORD_ENV	"EXECTOP_REDIS_PASSWORD"

struct redis_id {
	uint64_t	ms;
	uint64_t	seq;
};

struct redis_item {
	redisReply		*reply;		/* the XREAD reply */
	size_t			 n;		/* entries of it to use */
	struct redis_item	*next;
};

enum redis_phase {
	RP_CONNECTING,
	RP_CONNECTED,
	RP_RETRY,		/* waiting to reconnect; error says why */
	RP_DONE,		/* report mode: read up to the end */
	RP_FAILED		/* report mode: error */
};

struct redis_src {
	char			*host;
	int			 port;
	char			*user;
	char			*pass;
	int			 db;
	char			*key;
	bool			 from_start;
	bool			 follow;

	pthread_t		 thread;
	bool			 started;
	int			 wake[2];

	/* Shared, under mu. */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct redis_item	*head, *tail;
	size_t			 queued;	/* items */
	uint64_t		 queued_entries;
	bool			 stop;
	enum redis_phase	 phase;
	char			*error;
	uint64_t		 retry_at;	/* monotonic ms */
	int64_t			 lag;		/* entries on the server after us */
	uint64_t		 lost;
	bool			 lost_unknown;
	int			 sock;		/* to shut down on close */

	/* The reader thread's. */
	redisContext		*ctx;
	struct redis_id		 last;
	bool			 have_last;
	struct redis_id		 end;		/* report mode */
	bool			 have_end;
	int64_t			 added_upto;	/* entries-added up to last */
	uint64_t		 info_at;

	/* The caller's. */
	struct redis_item	*cur;
	size_t			 cur_i;
};

bool
redis_src_is_url(const char *s)
{
	return strncmp(s, "redis://", 8) == 0;
}

static uint64_t
redis_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

char *
redis_src_redact(const char *url)
{
	const char	*auth, *at, *colon, *slash;

	if (!redis_src_is_url(url))
		return xstrdup(url);
	auth = url + 8;
	slash = strchr(auth, '/');
	at = strchr(auth, '@');
	if (at == NULL || (slash != NULL && at > slash))
		return xstrdup(url);
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon == NULL)
		return xstrdup(url);
	return xasprintf("%.*s:***%s", (int)(colon - url), url, at);
}

/* Percent-decodes n bytes (malloc'd); NULL on a bad escape or a NUL. */
static char *
redis_unescape(const char *s, size_t n)
{
	char	*out = xmalloc(n + 1), *o = out;
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= n) {
			free(out);
			return NULL;
		}
		if ((hi = numfmt_hexdigit(s[i + 1])) == -1 ||
		    (lo = numfmt_hexdigit(s[i + 2])) == -1 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		*o++ = (char)(hi * 16 + lo);
		i += 2;
	}
	*o = '\0';
	return out;
}

/* Parses the URL into r.  Returns 0, or -1 with *cause. */
static int
redis_parse(struct redis_src *r, const char *url, char **cause)
{
	const char	*p = url + 8, *at, *slash, *colon, *hostend, *q;
	const char	*path, *seg2;
	char		*end, *port = NULL;
	long		 v;
	size_t		 plen;

	if ((slash = strchr(p, '/')) == NULL)
		goto bad;
	if ((at = memchr(p, '@', (size_t)(slash - p))) != NULL) {
		colon = memchr(p, ':', (size_t)(at - p));
		if (colon == NULL)
			colon = at;
		if (colon > p && (r->user = redis_unescape(p,
		    (size_t)(colon - p))) == NULL)
			goto bad;
		if (colon < at && (r->pass = redis_unescape(colon + 1,
		    (size_t)(at - colon - 1))) == NULL)
			goto bad;
		p = at + 1;
	}
	if (*p == '[') {
		if ((hostend = memchr(p, ']', (size_t)(slash - p))) == NULL)
			goto bad;
		r->host = xstrndup(p + 1, (size_t)(hostend - p - 1));
		hostend++;
	} else {
		hostend = memchr(p, ':', (size_t)(slash - p));
		if (hostend == NULL)
			hostend = slash;
		r->host = xstrndup(p, (size_t)(hostend - p));
	}
	if (*r->host == '\0')
		goto bad;
	r->port = 6379;
	if (*hostend == ':') {
		port = xstrndup(hostend + 1, (size_t)(slash - hostend - 1));
		errno = 0;
		v = strtol(port, &end, 10);
		if (*port == '\0' || *end != '\0' || v < 1 || v > 65535) {
			free(port);
			goto bad;
		}
		free(port);
		r->port = (int)v;
	} else if (hostend != slash)
		goto bad;
	path = slash + 1;
	if ((q = strchr(path, '?')) != NULL) {
		if (strcmp(q + 1, "from-start") != 0 &&
		    strcmp(q + 1, "from=start") != 0) {
			*cause = xasprintf("%s: unknown parameter '%s' (only "
			    "?from-start)", url, q + 1);
			return -1;
		}
		r->from_start = true;
	}
	plen = q != NULL ? (size_t)(q - path) : strlen(path);
	/* [/db]/STREAM: a first segment of digits followed by another
	 * one is the database number. */
	seg2 = memchr(path, '/', plen);
	if (seg2 != NULL && seg2 > path && seg2 + 1 < path + plen) {
		const char	*d;

		for (d = path; d < seg2 && *d >= '0' && *d <= '9'; d++)
			;
		if (d == seg2 && seg2 - path <= 5) {
			r->db = atoi(path);
			plen -= (size_t)(seg2 + 1 - path);
			path = seg2 + 1;
		}
	}
	if (plen == 0 || (r->key = redis_unescape(path, plen)) == NULL)
		goto bad;
	if (r->pass == NULL && getenv(REDIS_PASSWORD_ENV) != NULL &&
	    *getenv(REDIS_PASSWORD_ENV) != '\0')
		r->pass = xstrdup(getenv(REDIS_PASSWORD_ENV));
	return 0;
bad:
	{
		char	*red = redis_src_redact(url);

		*cause = xasprintf("%s: not a Redis stream URL "
		    "(redis://[user[:password]@]host[:port][/db]/STREAM"
		    "[?from-start])", red);
		free(red);
	}
	return -1;
}

static int
redis_parse_id(const char *s, struct redis_id *id)
{
	char	*end;

	errno = 0;
	id->ms = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	id->seq = 0;
	if (*end == '-') {
		s = end + 1;
		id->seq = strtoull(s, &end, 10);
		if (errno != 0 || end == s)
			return -1;
	}
	return *end == '\0' ? 0 : -1;
}

static int
redis_id_cmp(const struct redis_id *a, const struct redis_id *b)
{
	if (a->ms != b->ms)
		return a->ms < b->ms ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

static void
redis_wake(struct redis_src *r)
{
	char	c = 1;

	if (write(r->wake[1], &c, 1) == -1) {
		/* Full pipe: a wake-up is pending anyway. */
	}
}

/* Sets the phase and error (under mu), wakes the caller. */
static void
redis_set_phase(struct redis_src *r, enum redis_phase ph, const char *err)
{
	pthread_mutex_lock(&r->mu);
	r->phase = ph;
	if (err != NULL || ph == RP_CONNECTED) {
		free(r->error);
		r->error = err != NULL ? xstrdup(err) : NULL;
	}
	pthread_mutex_unlock(&r->mu);
	redis_wake(r);
}

static void
redis_disconnect(struct redis_src *r)
{
	pthread_mutex_lock(&r->mu);
	r->sock = -1;
	pthread_mutex_unlock(&r->mu);
	if (r->ctx != NULL)
		redisFree(r->ctx);
	r->ctx = NULL;
}

/* The text of a failed command: the context's error or the reply's. */
static char *
redis_failure(struct redis_src *r, redisReply *rep, const char *what)
{
	if (rep != NULL && rep->type == REDIS_REPLY_ERROR)
		return xasprintf("%s: %.*s", what, (int)rep->len, rep->str);
	if (r->ctx->err == REDIS_ERR_IO && (errno == EAGAIN ||
	    errno == EWOULDBLOCK))
		return xasprintf("%s: no reply within %d s (not a Redis "
		    "server?)", what, REDIS_REPLY_MS / 1000);
	if (r->ctx->err == REDIS_ERR_PROTOCOL)
		return xasprintf("%s: not a Redis server (%s)", what,
		    r->ctx->errstr);
	if (r->ctx->err == REDIS_ERR_EOF)
		return xasprintf("%s: connection closed by the server", what);
	if (r->ctx->err != 0)
		return xasprintf("%s: %s", what, r->ctx->errstr);
	return xasprintf("%s: unexpected reply", what);
}

static redisReply *
redis_cmd(struct redis_src *r, int argc, const char **argv)
{
	return redisCommandArgv(r->ctx, argc, argv, NULL);
}

/* An integer or string field of a flat XINFO reply. */
static redisReply *
redis_info_field(redisReply *info, const char *name)
{
	size_t	i;

	if (info == NULL || info->type != REDIS_REPLY_ARRAY)
		return NULL;
	for (i = 0; i + 1 < info->elements; i += 2) {
		if (info->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(info->element[i]->str, name) == 0)
			return info->element[i + 1];
	}
	return NULL;
}

/*
 * XINFO STREAM against our position: the lag, and entries trimmed before
 * we read them.  at_start: the first look, which sets the position's
 * entries-added.  Returns 0, or -1 with *err on a failed command.
 */
static int
redis_check(struct redis_src *r, bool at_start, char **err)
{
	const char	*argv[] = { "XINFO", "STREAM", r->key };
	redisReply	*info, *f, *first;
	int64_t		 added = -1, length = 0, lag = -1, lost = 0;
	struct redis_id	 fid;
	bool		 trimmed = false, unknown = false;

	info = redis_cmd(r, 3, argv);
	if (info == NULL) {
		*err = redis_failure(r, NULL, "XINFO");
		return -1;
	}
	if (info->type == REDIS_REPLY_ERROR &&
	    strstr(info->str, "no such key") != NULL) {
		freeReplyObject(info);
		if (at_start)
			r->added_upto = 0;
		pthread_mutex_lock(&r->mu);
		r->lag = 0;
		pthread_mutex_unlock(&r->mu);
		return 0;
	}
	if (info->type != REDIS_REPLY_ARRAY) {
		*err = redis_failure(r, info, "XINFO STREAM");
		freeReplyObject(info);
		return -1;
	}
	if ((f = redis_info_field(info, "entries-added")) != NULL &&
	    f->type == REDIS_REPLY_INTEGER)
		added = f->integer;
	if ((f = redis_info_field(info, "length")) != NULL &&
	    f->type == REDIS_REPLY_INTEGER)
		length = f->integer;
	first = redis_info_field(info, "first-entry");
	if (first != NULL && first->type == REDIS_REPLY_ARRAY &&
	    first->elements >= 1 && first->element[0]->type ==
	    REDIS_REPLY_STRING && redis_parse_id(first->element[0]->str,
	    &fid) == 0 && r->have_last && redis_id_cmp(&fid, &r->last) > 0 &&
	    !(r->last.ms == 0 && r->last.seq == 0))
		trimmed = true;
	if (at_start) {
		/* From the start: entries trimmed before now are not ours
		 * to miss. */
		r->added_upto = added >= 0 ? (r->last.ms == 0 &&
		    r->last.seq == 0 ? added - length : added) : -1;
	} else if (added >= 0 && r->added_upto >= 0) {
		if (trimmed) {
			/* Everything in the stream is after us. */
			lost = added - r->added_upto - length;
			if (lost > 0)
				r->added_upto += lost;
		}
		lag = added - r->added_upto;
	} else if (trimmed)
		unknown = true;
	if (at_start && added >= 0)
		lag = added - r->added_upto;
	freeReplyObject(info);
	pthread_mutex_lock(&r->mu);
	r->lag = lag;
	if (lost > 0)
		r->lost += (uint64_t)lost;
	if (unknown)
		r->lost_unknown = true;
	pthread_mutex_unlock(&r->mu);
	/* Past the trimmed entries: the first one left is next. */
	if (trimmed && (lost > 0 || unknown))
		redis_wake(r);
	r->info_at = redis_now_ms();
	return 0;
}

/* Connects, authenticates, selects, checks the key and finds where to
 * start.  Returns 0, or -1 with *err. */
static int
redis_connect(struct redis_src *r, char **err)
{
	struct timeval	 tv;
	redisReply	*rep;
	const char	*argv[8];
	char		 db[16], *what;
	int		 argc;
	bool		 first = !r->have_last;

	tv.tv_sec = REDIS_CONNECT_MS / 1000;
	tv.tv_usec = (REDIS_CONNECT_MS % 1000) * 1000;
	r->ctx = redisConnectWithTimeout(r->host, r->port, tv);
	if (r->ctx == NULL) {
		*err = xasprintf("cannot connect: out of memory");
		return -1;
	}
	if (r->ctx->err != 0) {
		*err = xasprintf("cannot connect to %s:%d: %s", r->host,
		    r->port, r->ctx->errstr);
		goto fail;
	}
	pthread_mutex_lock(&r->mu);
	r->sock = r->ctx->fd;
	pthread_mutex_unlock(&r->mu);
	tv.tv_sec = REDIS_REPLY_MS / 1000;
	tv.tv_usec = 0;
	redisSetTimeout(r->ctx, tv);
	if (r->pass != NULL) {
		argc = 0;
		argv[argc++] = "AUTH";
		if (r->user != NULL)
			argv[argc++] = r->user;
		argv[argc++] = r->pass;
		rep = redis_cmd(r, argc, argv);
		if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
			*err = redis_failure(r, rep, "authentication failed");
			if (rep != NULL)
				freeReplyObject(rep);
			goto fail;
		}
		freeReplyObject(rep);
	}
	if (r->db != 0) {
		snprintf(db, sizeof db, "%d", r->db);
		argv[0] = "SELECT";
		argv[1] = db;
		rep = redis_cmd(r, 2, argv);
		if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
			*err = redis_failure(r, rep, "SELECT");
			if (rep != NULL)
				freeReplyObject(rep);
			goto fail;
		}
		freeReplyObject(rep);
	}
	argv[0] = "TYPE";
	argv[1] = r->key;
	rep = redis_cmd(r, 2, argv);
	if (rep == NULL || rep->type != REDIS_REPLY_STATUS) {
		*err = redis_failure(r, rep, "TYPE");
		if (rep != NULL)
			freeReplyObject(rep);
		goto fail;
	}
	if (strcmp(rep->str, "stream") != 0 && strcmp(rep->str, "none") != 0) {
		*err = xasprintf("key '%s' is a %s, not a stream", r->key,
		    rep->str);
		freeReplyObject(rep);
		goto fail;
	}
	freeReplyObject(rep);
	if (first || (!r->follow && !r->have_end)) {
		/* The last entry now: where following starts, where a
		 * report ends. */
		argv[0] = "XREVRANGE";
		argv[1] = r->key;
		argv[2] = "+";
		argv[3] = "-";
		argv[4] = "COUNT";
		argv[5] = "1";
		rep = redis_cmd(r, 6, argv);
		if (rep == NULL || rep->type != REDIS_REPLY_ARRAY) {
			*err = redis_failure(r, rep, "XREVRANGE");
			if (rep != NULL)
				freeReplyObject(rep);
			goto fail;
		}
		if (rep->elements == 1 && rep->element[0]->type ==
		    REDIS_REPLY_ARRAY && rep->element[0]->elements >= 1 &&
		    rep->element[0]->element[0]->type == REDIS_REPLY_STRING) {
			struct redis_id	id;

			if (redis_parse_id(rep->element[0]->element[0]->str,
			    &id) == 0) {
				if (!r->follow) {
					r->end = id;
					r->have_end = true;
				} else if (first && !r->from_start)
					r->last = id;
			}
		} else if (!r->follow)
			r->have_end = false;
		freeReplyObject(rep);
		r->have_last = true;
	}
	what = NULL;
	if (redis_check(r, first, &what) == -1) {
		*err = what;
		goto fail;
	}
	return 0;
fail:
	redis_disconnect(r);
	return -1;
}

/* Queues n entries of an XREAD reply (waits while the queue is full).
 * Takes the reply.  false when stopping. */
static bool
redis_enqueue(struct redis_src *r, redisReply *rep, size_t n)
{
	struct redis_item	*it;
	bool			 ok;

	it = xcalloc(1, sizeof *it);
	it->reply = rep;
	it->n = n;
	pthread_mutex_lock(&r->mu);
	while (r->queued >= REDIS_QUEUE && !r->stop)
		pthread_cond_wait(&r->cv, &r->mu);
	ok = !r->stop;
	if (ok) {
		if (r->tail != NULL)
			r->tail->next = it;
		else
			r->head = it;
		r->tail = it;
		r->queued++;
		r->queued_entries += n;
	}
	pthread_mutex_unlock(&r->mu);
	if (!ok) {
		freeReplyObject(rep);
		free(it);
		return false;
	}
	redis_wake(r);
	return true;
}

/* The entries of an XREAD reply on one key, or NULL. */
static redisReply *
redis_entries(redisReply *rep)
{
	redisReply	*k;

	if (rep == NULL || rep->type != REDIS_REPLY_ARRAY ||
	    rep->elements < 1)
		return NULL;
	k = rep->element[0];
	if (k->type != REDIS_REPLY_ARRAY || k->elements < 2 ||
	    k->element[1]->type != REDIS_REPLY_ARRAY)
		return NULL;
	return k->element[1];
}

/*
 * One XREAD.  Returns 1 when entries came (or none within the block), 0
 * when a report reached its end, -1 with *err on failure.
 */
static int
redis_read_once(struct redis_src *r, char **err)
{
	const char	*argv[9];
	char		 id[48], block[16], count[16];
	redisReply	*rep, *ents, *e;
	struct redis_id	 eid;
	size_t		 i, n;
	int		 argc = 0;

	if (!r->follow && !r->have_end)
		return 0;	/* an empty stream when the report began */
	snprintf(id, sizeof id, "%llu-%llu", (unsigned long long)r->last.ms,
	    (unsigned long long)r->last.seq);
	snprintf(count, sizeof count, "%d", REDIS_BATCH);
	snprintf(block, sizeof block, "%d", REDIS_BLOCK_MS);
	argv[argc++] = "XREAD";
	argv[argc++] = "COUNT";
	argv[argc++] = count;
	if (r->follow) {
		argv[argc++] = "BLOCK";
		argv[argc++] = block;
	}
	argv[argc++] = "STREAMS";
	argv[argc++] = r->key;
	argv[argc++] = id;
	rep = redis_cmd(r, argc, argv);
	if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
		*err = redis_failure(r, rep, "XREAD");
		if (rep != NULL)
			freeReplyObject(rep);
		return -1;
	}
	if (rep->type == REDIS_REPLY_NIL || (ents = redis_entries(rep)) ==
	    NULL || ents->elements == 0) {
		freeReplyObject(rep);
		/* Nothing after us: a report whose end was trimmed away
		 * is done. */
		return r->follow ? 1 : 0;
	}
	n = 0;
	for (i = 0; i < ents->elements; i++) {
		e = ents->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements < 1 ||
		    e->element[0]->type != REDIS_REPLY_STRING ||
		    redis_parse_id(e->element[0]->str, &eid) == -1) {
			freeReplyObject(rep);
			*err = xasprintf("XREAD: malformed reply");
			return -1;
		}
		if (!r->follow && redis_id_cmp(&eid, &r->end) > 0)
			break;
		r->last = eid;
		n++;
	}
	if (r->added_upto >= 0)
		r->added_upto += (int64_t)n;
	if (n > 0 && !redis_enqueue(r, rep, n))
		return 0;
	if (n == 0)
		freeReplyObject(rep);
	if (!r->follow && redis_id_cmp(&r->last, &r->end) >= 0)
		return 0;
	return 1;
}

/* Waits until ms or stop.  false when stopping. */
static bool
redis_sleep_until(struct redis_src *r, uint64_t until)
{
	struct timespec	ts;
	bool		stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	{
		uint64_t	now = redis_now_ms(), d;

		d = until > now ? until - now : 0;
		ts.tv_sec += (time_t)(d / 1000);
		ts.tv_nsec += (long)(d % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&r->mu);
	while (!r->stop && redis_now_ms() < until) {
		if (pthread_cond_timedwait(&r->cv, &r->mu, &ts) == ETIMEDOUT)
			break;
	}
	stop = r->stop;
	pthread_mutex_unlock(&r->mu);
	return !stop;
}

static bool
redis_stopping(struct redis_src *r)
{
	bool	stop;

	pthread_mutex_lock(&r->mu);
	stop = r->stop;
	pthread_mutex_unlock(&r->mu);
	return stop;
}

static void *
redis_thread(void *arg)
{
	struct redis_src	*r = arg;
	sigset_t		 all;
	char			*err = NULL;
	unsigned		 backoff = 1;
	int			 rc;

	/* Signals are the main thread's; a write to a closed socket
	 * gives EPIPE here. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (!redis_stopping(r)) {
		redis_set_phase(r, RP_CONNECTING, NULL);
		if (redis_connect(r, &err) == 0) {
			backoff = 1;
			redis_set_phase(r, RP_CONNECTED, NULL);
			/* The stream against our position before each
			 * read once it is REDIS_INFO_MS old: a trim during
			 * a suspension is seen before reading past it. */
			for (;;) {
				if (redis_stopping(r)) {
					rc = 1;
					break;
				}
				if (redis_now_ms() - r->info_at >=
				    REDIS_INFO_MS &&
				    redis_check(r, false, &err) == -1) {
					rc = -1;
					break;
				}
				if ((rc = redis_read_once(r, &err)) != 1)
					break;
			}
			if (rc == 0) {
				redis_disconnect(r);
				if (!r->follow)
					redis_set_phase(r, RP_DONE, NULL);
				break;
			}
			redis_disconnect(r);
			if (rc == 1)
				break;	/* stopping */
		}
		if (redis_stopping(r))
			break;
		if (!r->follow) {
			redis_set_phase(r, RP_FAILED, err);
			break;
		}
		pthread_mutex_lock(&r->mu);
		r->retry_at = redis_now_ms() + backoff * 1000;
		pthread_mutex_unlock(&r->mu);
		redis_set_phase(r, RP_RETRY, err);
		free(err);
		err = NULL;
		if (!redis_sleep_until(r, redis_now_ms() + backoff * 1000))
			break;
		backoff = backoff * 2 > REDIS_BACKOFF_MAX ? REDIS_BACKOFF_MAX :
		    backoff * 2;
	}
	free(err);
	return NULL;
}

struct redis_src *
redis_src_open(const char *url, bool follow, char **cause)
{
	struct redis_src	*r;
	int			 fl, i;

	r = xcalloc(1, sizeof *r);
	r->wake[0] = r->wake[1] = -1;
	r->sock = -1;
	r->lag = -1;
	r->added_upto = -1;
	r->follow = follow;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (redis_parse(r, url, cause) == -1) {
		redis_src_close(r);
		return NULL;
	}
	if (pipe2(r->wake, O_CLOEXEC) == -1) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		redis_src_close(r);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		fl = fcntl(r->wake[i], F_GETFL);
		fcntl(r->wake[i], F_SETFL, fl | O_NONBLOCK);
	}
	if (pthread_create(&r->thread, NULL, redis_thread, r) != 0) {
		*cause = xasprintf("cannot start the Redis reader thread");
		redis_src_close(r);
		return NULL;
	}
	r->started = true;
	return r;
}

void
redis_src_close(struct redis_src *r)
{
	struct redis_item	*it, *next;

	if (r == NULL)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		r->stop = true;
		if (r->sock != -1)
			shutdown(r->sock, SHUT_RDWR);
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thread, NULL);
	}
	if (r->ctx != NULL)
		redisFree(r->ctx);
	if (r->cur != NULL) {
		freeReplyObject(r->cur->reply);
		free(r->cur);
	}
	for (it = r->head; it != NULL; it = next) {
		next = it->next;
		freeReplyObject(it->reply);
		free(it);
	}
	if (r->wake[0] != -1)
		close(r->wake[0]);
	if (r->wake[1] != -1)
		close(r->wake[1]);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r->error);
	free(r->host);
	free(r->user);
	free(r->pass);
	free(r->key);
	free(r);
}

int
redis_src_fd(const struct redis_src *r)
{
	return r->wake[0];
}

const char *
redis_src_key(const struct redis_src *r)
{
	return r->key;
}

/* Hands one entry to the model. */
static size_t
redis_entry(struct model *m, struct record *rec, const char *name,
    redisReply *e, size_t max_line_bytes, uint64_t lineno)
{
	redisReply	*f;
	size_t		 i;
	char		 detail[128];

	f = e->elements >= 2 ? e->element[1] : NULL;
	if (f != NULL && f->type == REDIS_REPLY_ARRAY) {
		for (i = 0; i + 1 < f->elements; i += 2) {
			if (f->element[i]->type != REDIS_REPLY_STRING ||
			    f->element[i]->len != strlen(REDIS_FIELD) ||
			    memcmp(f->element[i]->str, REDIS_FIELD,
			    strlen(REDIS_FIELD)) != 0 ||
			    f->element[i + 1]->type != REDIS_REPLY_STRING)
				continue;
			ingest_line_with(m, rec, name, f->element[i + 1]->str,
			    f->element[i + 1]->len, lineno,
			    f->element[i + 1]->len > max_line_bytes);
			return f->element[i + 1]->len;
		}
	}
	snprintf(detail, sizeof detail, "entry %s has no '%s' field",
	    e->element[0]->str, REDIS_FIELD);
	model_reject(m, name, lineno, REJECT_NO_RECORD_FIELD, detail);
	return 0;
}

size_t
redis_src_read(struct redis_src *r, struct model *m, struct record *rec,
    const char *name, size_t max_line_bytes, size_t budget,
    uint64_t *entries)
{
	char		 drain[256];
	redisReply	*ents;
	size_t		 total = 0;
	bool		 more;

	while (read(r->wake[0], drain, sizeof drain) > 0)
		;
	while (total < budget) {
		if (r->cur == NULL) {
			pthread_mutex_lock(&r->mu);
			if ((r->cur = r->head) != NULL) {
				r->head = r->cur->next;
				if (r->head == NULL)
					r->tail = NULL;
				r->queued--;
				pthread_cond_broadcast(&r->cv);
			}
			pthread_mutex_unlock(&r->mu);
			if (r->cur == NULL)
				break;
			r->cur_i = 0;
		}
		ents = redis_entries(r->cur->reply);
		while (r->cur_i < r->cur->n && total < budget) {
			(*entries)++;
			total += 1 + redis_entry(m, rec, name,
			    ents->element[r->cur_i++], max_line_bytes,
			    *entries);
			pthread_mutex_lock(&r->mu);
			r->queued_entries--;
			pthread_mutex_unlock(&r->mu);
		}
		if (r->cur_i == r->cur->n) {
			freeReplyObject(r->cur->reply);
			free(r->cur);
			r->cur = NULL;
		}
	}
	pthread_mutex_lock(&r->mu);
	more = r->cur != NULL || r->head != NULL;
	pthread_mutex_unlock(&r->mu);
	if (more)
		redis_wake(r);
	return total;
}

enum source_state
redis_src_state(struct redis_src *r)
{
	enum source_state	st;

	pthread_mutex_lock(&r->mu);
	switch (r->phase) {
	case RP_CONNECTED:
		st = SOURCE_READING;
		break;
	case RP_DONE:
		st = r->cur != NULL || r->head != NULL ? SOURCE_READING :
		    SOURCE_EOF;
		break;
	case RP_FAILED:
		st = SOURCE_ERROR;
		break;
	case RP_RETRY:
		st = r->error != NULL ? SOURCE_ERROR : SOURCE_WAITING;
		break;
	default:
		st = SOURCE_WAITING;
		break;
	}
	pthread_mutex_unlock(&r->mu);
	return st;
}

const char *
redis_src_status(struct redis_src *r, char *buf, size_t len)
{
	char		lost[96] = "";
	uint64_t	now = redis_now_ms();
	int64_t		lag;

	pthread_mutex_lock(&r->mu);
	if (r->lost > 0)
		snprintf(lost, sizeof lost, ", %llu entries lost (trimmed "
		    "before they were read)", (unsigned long long)r->lost);
	else if (r->lost_unknown)
		snprintf(lost, sizeof lost, ", entries lost (trimmed before "
		    "they were read; the server does not say how many)");
	lag = r->lag >= 0 ? r->lag + (int64_t)r->queued_entries : -1;
	switch (r->phase) {
	case RP_CONNECTING:
		snprintf(buf, len, "connecting%s", lost);
		break;
	case RP_CONNECTED:
		if (lag > 0)
			snprintf(buf, len, "connected, lag %lld entries%s",
			    (long long)lag, lost);
		else
			snprintf(buf, len, "connected%s", lost);
		break;
	case RP_RETRY:
		snprintf(buf, len, "%s%sreconnecting in %llus%s",
		    r->error != NULL ? r->error : "", r->error != NULL ?
		    "; " : "", (unsigned long long)(r->retry_at > now ?
		    (r->retry_at - now + 999) / 1000 : 0), lost);
		break;
	case RP_DONE:
		snprintf(buf, len, "EOF%s", lost);
		break;
	case RP_FAILED:
		snprintf(buf, len, "%s", r->error != NULL ? r->error : "error");
		break;
	}
	pthread_mutex_unlock(&r->mu);
	return buf;
}
