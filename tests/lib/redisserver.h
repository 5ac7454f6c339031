/*
 * redisserver.h - a private redis-server for the tests: 127.0.0.1, a
 * free port, its own temporary directory, no persistence unless AOF is
 * asked for; stopped (or killed and restarted on the same port and
 * directory) by the test.
 */
#ifndef EXECTOP_TEST_REDISSERVER_H
#define EXECTOP_TEST_REDISSERVER_H

#include <stdbool.h>
#include <sys/types.h>

struct trs {
	pid_t	 pid;
	int	 port;
	char	*dir;
	bool	 aof;
	char	*password;	/* requirepass, or NULL */
};

/* Whether redis-server can be run. */
bool	 trs_available(void);
/* Starts a server (aof: appendonly yes, fsync always; password: NULL or
 * requirepass) and waits until it answers PING.  Returns 0, or -1. */
int	 trs_start(struct trs *, bool aof, const char *password);
/* Starts it again on the same port and directory (after trs_kill). */
int	 trs_restart(struct trs *);
/* SIGKILL, reaped. */
void	 trs_kill(struct trs *);
/* Stops the server and removes its directory. */
void	 trs_stop(struct trs *);
/* "redis://127.0.0.1:PORT/STREAM" (malloc'd). */
char	*trs_url(const struct trs *, const char *stream);
/* Runs one command through hiredis (printf-like, redisCommand format);
 * returns its integer reply or array length, or -1 on an error. */
long long trs_cmd(const struct trs *, const char *fmt, ...);
/* XADDs n records built by fn(i) into stream (field "record"), in
 * pipelined batches; maxlen > 0 adds MAXLEN = maxlen.  Returns 0 or -1. */
int	 trs_xadd_records(const struct trs *, const char *stream, long n,
	    long first, const char *executor, long maxlen);

#endif
