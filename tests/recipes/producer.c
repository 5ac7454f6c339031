/*
 * producer.c - feed exectop from a C program: each record is formatted
 * into one buffer of at most 4 KiB (PIPE_BUF) and sent with a single
 * write(), so it reaches the FIFO whole or not at all, even when several
 * processes write to the same FIFO.
 *
 * The FIFO is opened O_NONBLOCK: with no monitor reading (ENXIO), a full
 * pipe (EAGAIN) or a monitor gone (EPIPE, with SIGPIPE ignored) the record
 * is dropped and counted; the program never waits for the monitor.
 *
 *   cc -std=c11 -O2 -o producer producer.c
 *   ./producer FIFO N [ID]      N records of executor ID (default c-<pid>)
 *
 * It prints "sent=S dropped=D" when done.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PIPE_BUF
#define PIPE_BUF 4096
#endif

struct exectop_sink {
	const char	*path;
	int		 fd;
	unsigned long	 sent;
	unsigned long	 dropped;
};

/* One run of an executor, the fields exectop reads (NAN-free here). */
struct run {
	const char	*executor_id;
	double		 execution_time_ms;
	double		 memory_footprint_mb;
	double		 memory_peak_mb;
	double		 serialization_time_ms;
	long		 serialization_size_bytes;
	int		 success;
};

/* Appends s to buf[len..cap) as a JSON string body (quotes, backslashes
 * and controls escaped); returns the new length, or cap when full. */
static size_t
json_str(char *buf, size_t len, size_t cap, const char *s)
{
	unsigned char	c;
	int		n;

	for (; *s != '\0' && len < cap; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			n = snprintf(buf + len, cap - len, "\\%c", c);
		else if (c < 0x20)
			n = snprintf(buf + len, cap - len, "\\u%04x", c);
		else
			n = snprintf(buf + len, cap - len, "%c", c);
		if (n < 0 || (size_t)n >= cap - len)
			return cap;
		len += (size_t)n;
	}
	return *s != '\0' ? cap : len;
}

/* Formats one line; returns its length, or -1 when it does not fit. */
static int
run_format(const struct run *r, char *buf, size_t cap)
{
	size_t	len;
	int	n;

	len = (size_t)snprintf(buf, cap, "{\"executor_id\":\"");
	if ((len = json_str(buf, len, cap, r->executor_id)) >= cap)
		return -1;
	n = snprintf(buf + len, cap - len,
	    "\",\"execution_time_ms\":%.3f,\"memory_footprint_mb\":%.3f,"
	    "\"memory_peak_mb\":%.3f,\"serialization_time_ms\":%.3f,"
	    "\"serialization_size_bytes\":%ld,\"success\":%s}\n",
	    r->execution_time_ms, r->memory_footprint_mb, r->memory_peak_mb,
	    r->serialization_time_ms, r->serialization_size_bytes,
	    r->success ? "true" : "false");
	if (n < 0 || (size_t)n >= cap - len)
		return -1;
	return (int)(len + (size_t)n);
}

/* Sends one record; 0 when sent, -1 when dropped (counted). */
static int
sink_emit(struct exectop_sink *s, const struct run *r)
{
	char	 line[PIPE_BUF + 1];
	int	 len;
	ssize_t	 n;

	if ((len = run_format(r, line, sizeof line)) == -1 || len > PIPE_BUF) {
		s->dropped++;
		return -1;
	}
	if (s->fd == -1 &&
	    (s->fd = open(s->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		s->dropped++;	/* ENXIO: nobody reads; ENOENT: no FIFO */
		return -1;
	}
	n = write(s->fd, line, (size_t)len);	/* <= PIPE_BUF: atomic */
	if (n == len) {
		s->sent++;
		return 0;
	}
	if (n == -1 && errno == EPIPE) {	/* the reader left */
		close(s->fd);
		s->fd = -1;
	}
	s->dropped++;				/* EAGAIN: pipe full */
	return -1;
}

int
main(int argc, char **argv)
{
	struct exectop_sink	 s = { NULL, -1, 0, 0 };
	struct run		 r;
	char			 id[64];
	long			 i, n;

	if (argc < 3) {
		fprintf(stderr, "usage: producer FIFO N [ID]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	s.path = argv[1];
	n = strtol(argv[2], NULL, 10);
	if (argc > 3)
		snprintf(id, sizeof id, "%s", argv[3]);
	else
		snprintf(id, sizeof id, "c-%ld", (long)getpid());
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof r);
		r.executor_id = id;
		r.execution_time_ms = 50.0 + (double)(i % 11);
		r.memory_footprint_mb = 2.5;
		r.memory_peak_mb = 128.0;
		r.serialization_time_ms = 1.5;
		r.serialization_size_bytes = 512 + i;
		r.success = i % 50 != 49;
		sink_emit(&s, &r);
	}
	if (s.fd != -1)
		close(s.fd);
	printf("sent=%lu dropped=%lu\n", s.sent, s.dropped);
	return 0;
}
