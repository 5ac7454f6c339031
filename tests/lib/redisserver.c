/*
 * redisserver.c - a private redis-server per test (see redisserver.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "redisserver.h"
#include "testutil.h"
#include "tmux.h"

bool
trs_available(void)
{
	return system("command -v redis-server >/dev/null 2>&1") == 0;
}

/* A port nobody listens on now. */
static int
trs_free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd, port;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1) {
		close(fd);
		return -1;
	}
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static redisContext *
trs_connect(const struct trs *s)
{
	struct timeval	 tv = { 1, 0 };
	redisContext	*c;
	redisReply	*r;

	c = redisConnectWithTimeout("127.0.0.1", s->port, tv);
	if (c == NULL)
		return NULL;
	if (c->err != 0) {
		redisFree(c);
		return NULL;
	}
	if (s->password != NULL) {
		r = redisCommand(c, "AUTH %s", s->password);
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			if (r != NULL)
				freeReplyObject(r);
			redisFree(c);
			return NULL;
		}
		freeReplyObject(r);
	}
	return c;
}

static int
trs_spawn(struct trs *s)
{
	char	port[16];
	long long t0;
	redisContext	*c;
	redisReply	*r;

	snprintf(port, sizeof port, "%d", s->port);
	if ((s->pid = fork()) == -1)
		return -1;
	if (s->pid == 0) {
		const char	*argv[24];
		int		 n = 0;

		argv[n++] = "redis-server";
		argv[n++] = "--port";
		argv[n++] = port;
		argv[n++] = "--bind";
		argv[n++] = "127.0.0.1";
		argv[n++] = "--save";
		argv[n++] = "";
		argv[n++] = "--dir";
		argv[n++] = s->dir;
		argv[n++] = "--appendonly";
		argv[n++] = s->aof ? "yes" : "no";
		argv[n++] = "--appendfsync";
		argv[n++] = "always";
		argv[n++] = "--logfile";
		argv[n++] = "redis.log";
		if (s->password != NULL) {
			argv[n++] = "--requirepass";
			argv[n++] = s->password;
		}
		argv[n] = NULL;
		execvp("redis-server", (char **)argv);
		_exit(127);
	}
	for (t0 = tu_now_ms(); tu_now_ms() - t0 < 10000; tu_sleep_ms(20)) {
		if ((c = trs_connect(s)) == NULL)
			continue;
		r = redisCommand(c, "PING");
		redisFree(c);
		if (r != NULL) {
			bool ok = r->type == REDIS_REPLY_STATUS;

			freeReplyObject(r);
			if (ok)
				return 0;
		}
	}
	return -1;
}

int
trs_start(struct trs *s, bool aof, const char *password)
{
	int	tries;

	memset(s, 0, sizeof *s);
	s->dir = tu_tmpdir();
	s->aof = aof;
	s->password = password != NULL ? strdup(password) : NULL;
	for (tries = 0; tries < 5; tries++) {
		if ((s->port = trs_free_port()) == -1)
			continue;
		if (trs_spawn(s) == 0)
			return 0;
		trs_kill(s);
	}
	return -1;
}

int
trs_restart(struct trs *s)
{
	return trs_spawn(s);
}

void
trs_kill(struct trs *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

void
trs_stop(struct trs *s)
{
	trs_kill(s);
	if (s->dir != NULL)
		tu_rmtree(s->dir);
	free(s->dir);
	free(s->password);
	s->dir = NULL;
	s->password = NULL;
}

char *
trs_url(const struct trs *s, const char *stream)
{
	return tu_fmt("redis://127.0.0.1:%d/%s", s->port, stream);
}

long long
trs_cmd(const struct trs *s, const char *fmt, ...)
{
	redisContext	*c;
	redisReply	*r;
	va_list		 ap;
	long long	 v = -1;

	if ((c = trs_connect(s)) == NULL)
		return -1;
	va_start(ap, fmt);
	r = redisvCommand(c, fmt, ap);
	va_end(ap);
	if (r != NULL) {
		if (r->type == REDIS_REPLY_INTEGER)
			v = r->integer;
		else if (r->type == REDIS_REPLY_ARRAY)
			v = (long long)r->elements;
		else if (r->type != REDIS_REPLY_ERROR)
			v = 0;
		freeReplyObject(r);
	}
	redisFree(c);
	return v;
}

int
trs_xadd_records(const struct trs *s, const char *stream, long n,
    long first, const char *executor, long maxlen)
{
	redisContext	*c;
	redisReply	*r;
	char		 rec[256], ml[32];
	long		 i, sent = 0, got = 0;
	int		 rc = 0;

	if ((c = trs_connect(s)) == NULL)
		return -1;
	snprintf(ml, sizeof ml, "%ld", maxlen);
	for (i = 0; i < n; i++) {
		snprintf(rec, sizeof rec, "{\"executor_id\":\"%s\","
		    "\"execution_time_ms\":%ld.5,\"memory_peak_mb\":1}",
		    executor, first + i);
		if (maxlen > 0)
			redisAppendCommand(c, "XADD %s MAXLEN = %s * record %s",
			    stream, ml, rec);
		else
			redisAppendCommand(c, "XADD %s * record %s", stream,
			    rec);
		sent++;
		if (sent - got >= 100 || i + 1 == n) {
			while (got < sent) {
				if (redisGetReply(c, (void **)&r) != REDIS_OK) {
					rc = -1;
					goto out;
				}
				if (r->type == REDIS_REPLY_ERROR)
					rc = -1;
				freeReplyObject(r);
				got++;
			}
		}
	}
out:
	redisFree(c);
	return rc;
}
