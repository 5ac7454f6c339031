/*
 * ingest.c - from a line to the model, and reading sources to their end
 * (report and baseline modes).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "ingest.h"
#include "model.h"
#include "record.h"
#include "xmalloc.h"

int
ingest_blank(const char *line, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return 0;
	}
	return 1;
}

/* Parses with a caller's scratch record (its method array is reused). */
void
ingest_line_with(struct model *m, struct record *rec, const char *source,
    const char *line, size_t len, uint64_t lineno, bool too_long)
{
	enum reject_reason	why;
	char			detail[MODEL_DETAIL_LEN];

	if (too_long) {
		model_reject(m, source, lineno, REJECT_LINE_TOO_LONG,
		    "line longer than limits.max_line_bytes");
		return;
	}
	if (ingest_blank(line, len))
		return;
	if (record_parse(rec, line, len, &why, detail, sizeof detail) == -1)
		model_reject(m, source, lineno, why, detail);
	else
		model_add_record(m, rec);
	record_clear(rec);
}

void
ingest_line(struct model *m, const char *source, const char *line,
    size_t len, uint64_t lineno, bool too_long)
{
	struct record	rec;

	record_init(&rec);
	ingest_line_with(m, &rec, source, line, len, lineno, too_long);
	record_free(&rec);
}

int
ingest_run_to_eof(struct source **src, size_t n, struct model *m,
    char **cause)
{
	return ingest_run_to_eof_timeout(src, n, m, 0, cause);
}

/* Milliseconds of the monotonic clock. */
static int64_t
ingest_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first source still waiting for a writer, or NULL. */
static const char *
ingest_waiting(struct source **src, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (source_state(src[i]) == SOURCE_WAITING)
			return source_path(src[i]);
	}
	return NULL;
}

int
ingest_run_to_eof_timeout(struct source **src, size_t n, struct model *m,
    unsigned timeout_s, char **cause)
{
	struct pollfd	*pfd;
	size_t		 i, npoll, *which;
	int		 fd, rc = 0, ready;
	int64_t		 idle_since = ingest_now_ms(), now;
	bool		 told = false;
	const char	*w;
	char		*esc;

	pfd = xcalloc(n ? n : 1, sizeof *pfd);
	which = xcalloc(n ? n : 1, sizeof *which);
	/* Regular files first: they never block. */
	for (i = 0; i < n; i++) {
		if (source_fd(src[i]) != -1)
			continue;
		while (source_state(src[i]) != SOURCE_EOF &&
		    source_state(src[i]) != SOURCE_ERROR)
			source_read(src[i], m, 1 << 20);
	}
	for (;;) {
		npoll = 0;
		for (i = 0; i < n; i++) {
			if (source_state(src[i]) == SOURCE_EOF ||
			    source_state(src[i]) == SOURCE_ERROR)
				continue;
			if ((fd = source_fd(src[i])) == -1)
				continue;
			pfd[npoll].fd = fd;
			pfd[npoll].events = POLLIN;
			which[npoll++] = i;
		}
		if (npoll == 0)
			break;
		/* Wake every half second to say, after 2 s without data,
		 * that a FIFO waits for its writer, and to honour the
		 * timeout. */
		if ((ready = poll(pfd, npoll, 500)) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		now = ingest_now_ms();
		if (ready > 0)
			idle_since = now;
		for (i = 0; i < npoll; i++) {
			if (pfd[i].revents != 0)
				source_read(src[which[i]], m, 1 << 20);
		}
		if (ready > 0)
			continue;
		w = ingest_waiting(src, n);
		if (!told && w != NULL && now - idle_since >= 2000) {
			esc = escape_terminal(w);
			fprintf(stderr, "exectop: waiting for a writer on %s "
			    "(--timeout SECONDS gives up)\n", esc);
			free(esc);
			told = true;
		}
		if (timeout_s > 0 && now - idle_since >= (int64_t)timeout_s *
		    1000) {
			esc = escape_terminal(w != NULL ? w :
			    source_path(src[which[0]]));
			*cause = xasprintf("%s: %s within --timeout %u s",
			    esc, w != NULL ? "no writer" : "no data", timeout_s);
			free(esc);
			rc = -1;
			break;
		}
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (source_state(src[i]) == SOURCE_ERROR) {
			char	buf[256];

			*cause = xasprintf("%s: %s", source_path(src[i]),
			    source_status(src[i], buf, sizeof buf));
			rc = -1;
		}
	}
	free(which);
	free(pfd);
	return rc;
}
