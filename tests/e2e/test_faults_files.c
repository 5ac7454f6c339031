/*
 * test_faults_files.c - issue 5, case 9: a followed file under every
 * kind of rotation and replacement, on real files, with the writer in
 * another process where it matters.  copytruncate, truncate-then-grow,
 * rename rotation again and again, delete and recreate, replacement
 * while exectop is still catching up, a directory and an unreadable
 * path: no record counted twice, none lost, and a clear state.
 *
 * test_ingest.c covers append, one truncation, one rotation and an
 * in-place rewrite; this file adds the rest of tail -F's cases.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "model.h"
#include "record.h"
#include "testutil.h"

static char	*log_path;

static void
setup(void)
{
	tu_dir_setup_isolated();
	/* Others (the unreadable test's unprivileged child) must get in. */
	chmod(tu_dir, 0755);
	log_path = tu_path("app.log");
}

static void
teardown(void)
{
	tu_dir_teardown();
	free(log_path);
}

TestSuite(faults_files, .init = setup, .fini = teardown, .timeout = 120);

/* Appends n records "<id>" with execution times from seq on. */
static void
append(const char *path, const char *id, int seq, int n)
{
	char	*buf = malloc((size_t)n * 96 + 1);
	size_t	 len = 0;
	int	 i;

	for (i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "{\"executor_id\":\"%s\","
		    "\"execution_time_ms\":%d}\n", id, seq + i);
	tu_write_file(path, buf, len, 1);
	free(buf);
}

/* Ticks and reads until the model holds want records (about 20 s). */
static void
pump_until(struct source *s, struct model *m, uint64_t want)
{
	int	i;

	for (i = 0; i < 2000 && m->records < want; i++) {
		source_tick(s, m);
		while (source_read(s, m, 1 << 20) > 0)
			;
		if (m->records < want)
			usleep(10000);
	}
	/* A few more rounds: nothing more may come. */
	for (i = 0; i < 3; i++) {
		source_tick(s, m);
		source_read(s, m, 1 << 20);
	}
	cr_assert_eq(m->records, want, "records %llu, want %llu",
	    (unsigned long long)m->records, (unsigned long long)want);
}

/* Every sequence number 0..n-1 of id exactly once. */
static void
exactly_once(struct model *m, const char *id, int n)
{
	struct executor	*ex = model_find(m, id);

	cr_assert_not_null(ex, "%s missing", id);
	cr_assert_eq(ex->runs, (uint64_t)n, "%s: %llu runs, want %d", id,
	    (unsigned long long)ex->runs, n);
	cr_assert_eq(ex->m[METRIC_EXEC_TIME].all.min, 0);
	cr_assert_eq(ex->m[METRIC_EXEC_TIME].all.max, n - 1);
	cr_assert_float_eq(ex->m[METRIC_EXEC_TIME].all.mean, (n - 1) / 2.0,
	    1e-9);
}

static const char *
status(struct source *s)
{
	static char	buf[256];

	return source_status(s, buf, sizeof buf);
}

/* logrotate's copytruncate: the file is copied away and truncated in
 * place while the writer keeps its O_APPEND descriptor. */
Test(faults_files, copytruncate)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL, *cmd;
	int		 round;

	append(log_path, "A", 0, 100);
	s = source_open(log_path, true, 1 << 20, &cause);
	cr_assert_not_null(s, "%s", cause);
	pump_until(s, m, 100);
	for (round = 1; round <= 5; round++) {
		cmd = tu_fmt("cp '%s' '%s.%d' && : > '%s'", log_path, log_path,
		    round, log_path);
		cr_assert_eq(tu_run(cmd, NULL, NULL), 0);
		free(cmd);
		source_tick(s, m);
		append(log_path, "A", round * 100, 100);
		pump_until(s, m, (uint64_t)(round + 1) * 100);
	}
	exactly_once(m, "A", 600);
	cr_assert_eq(m->invalid, 0);
	source_close(s);
	model_free(m);
}

/* Truncated, then grown past the old size before exectop looked: the
 * size alone says "grew", the first bytes say "new file". */
Test(faults_files, truncate_then_grow_past_old_size)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;
	int		 fd;

	append(log_path, "old", 0, 50);
	s = source_open(log_path, true, 1 << 20, &cause);
	pump_until(s, m, 50);
	fd = open(log_path, O_WRONLY | O_TRUNC);
	cr_assert_neq(fd, -1);
	close(fd);
	append(log_path, "new", 0, 200);	/* far past the old size */
	pump_until(s, m, 250);
	exactly_once(m, "old", 50);
	exactly_once(m, "new", 200);
	cr_assert_eq(m->invalid, 0);
	source_close(s);
	model_free(m);
}

/* Rotation by rename, many times, the writer (another process) still
 * appending to the old file for a while after each rename. */
Test(faults_files, rename_rotation_storm)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL, *old;
	int		 round, seq = 0;

	s = source_open(log_path, true, 1 << 20, &cause);
	cr_assert_eq(source_state(s), SOURCE_WAITING);
	append(log_path, "R", seq, 30);
	seq += 30;
	pump_until(s, m, (uint64_t)seq);
	for (round = 0; round < 40; round++) {
		old = tu_fmt("%s.%d", log_path, round);
		cr_assert_eq(rename(log_path, old), 0);
		append(old, "R", seq, 7);	/* late lines to the old file */
		seq += 7;
		if (round % 2 == 0) {
			/* exectop notices the rename before the new file */
			source_tick(s, m);
			source_read(s, m, 1 << 20);
		}
		append(log_path, "R", seq, 11);
		seq += 11;
		pump_until(s, m, (uint64_t)seq);
		free(old);
	}
	exactly_once(m, "R", seq);
	cr_assert_eq(m->invalid, 0);
	source_close(s);
	model_free(m);
}

/* Deleted, missing for a while (state says so), then created again. */
Test(faults_files, deleted_and_recreated)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;
	int		 round;

	append(log_path, "D", 0, 40);
	s = source_open(log_path, true, 1 << 20, &cause);
	pump_until(s, m, 40);
	for (round = 1; round <= 10; round++) {
		/* Lines written just before the delete still count: the
		 * open descriptor is read to its end first. */
		append(log_path, "late", (round - 1) * 3, 3);
		cr_assert_eq(unlink(log_path), 0);
		if (round % 2 == 0) {
			source_tick(s, m);
			source_read(s, m, 1 << 20);
			cr_assert_eq(source_state(s), SOURCE_WAITING, "%s",
			    status(s));
			cr_assert_str_eq(status(s), "waiting for file");
		}
		/* Odd rounds: recreated before exectop looked again. */
		append(log_path, "D", round * 40, 40);
		pump_until(s, m, (uint64_t)(round + 1) * 40 + round * 3);
	}
	exactly_once(m, "D", 440);
	exactly_once(m, "late", 30);
	source_close(s);
	model_free(m);
}

/* A large file replaced (rename over it) while exectop is still catching
 * up on it: the old file is read to its end, then the new one. */
Test(faults_files, replaced_while_catching_up)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL, *tmp = tu_fmt("%s/app.log.new", tu_dir);
	int		 i;

	append(log_path, "big", 0, 100000);
	append(tmp, "next", 0, 5000);
	s = source_open(log_path, true, 1 << 20, &cause);
	cr_assert_eq(source_state(s), SOURCE_CATCHING_UP);
	for (i = 0; i < 3; i++)
		source_read(s, m, 64 * 1024);
	cr_assert_eq(source_state(s), SOURCE_CATCHING_UP, "%s", status(s));
	cr_assert(strncmp(status(s), "catching up ", 12) == 0, "%s", status(s));
	cr_assert_lt(m->records, 100000);
	cr_assert_eq(rename(tmp, log_path), 0);
	pump_until(s, m, 105000);
	exactly_once(m, "big", 100000);
	exactly_once(m, "next", 5000);
	cr_assert_eq(m->invalid, 0);
	cr_assert_eq(source_state(s), SOURCE_READING, "%s", status(s));
	source_close(s);
	model_free(m);
	free(tmp);
}

/* Truncated and rewritten in place while exectop is catching up: what
 * was read stays counted, a line cut by the truncation is not glued to
 * the new content, and the new content is read whole. */
Test(faults_files, rewritten_while_catching_up)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL;
	uint64_t	 before;
	int		 fd;

	append(log_path, "big", 0, 100000);
	s = source_open(log_path, true, 1 << 20, &cause);
	source_read(s, m, 100 * 1000 + 7);	/* stops inside a line */
	before = m->records;
	cr_assert_gt(before, 0);
	fd = open(log_path, O_WRONLY | O_TRUNC);
	close(fd);
	append(log_path, "fresh", 0, 3000);
	pump_until(s, m, before + 3000);
	exactly_once(m, "fresh", 3000);
	cr_assert_eq(model_find(m, "big")->runs, before);
	cr_assert_eq(m->invalid, 0, "a cut line was glued to new data");
	source_close(s);
	model_free(m);
}

/* A directory: a clear error; in follow mode the state says it, and the
 * path becoming a file later is picked up. */
Test(faults_files, directory_then_file)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL, *out = NULL, *err = NULL, *cmd, *d;

	cr_assert_eq(mkdir(log_path, 0755), 0);
	s = source_open(log_path, true, 1 << 20, &cause);
	cr_assert_eq(source_state(s), SOURCE_ERROR);
	cr_assert_not_null(strstr(status(s), "directory"), "%s", status(s));
	source_tick(s, m);
	cr_assert_eq(source_state(s), SOURCE_ERROR, "%s", status(s));
	cr_assert_eq(rmdir(log_path), 0);
	append(log_path, "F", 0, 10);
	pump_until(s, m, 10);
	cr_assert_eq(source_state(s), SOURCE_READING, "%s", status(s));
	source_close(s);
	model_free(m);

	/* The binary: exit 2 naming the path. */
	d = tu_fmt("%s/d", tu_dir);
	cr_assert_eq(mkdir(d, 0755), 0);
	cmd = tu_fmt("'%s' report '%s'", tu_exectop(), d);
	cr_assert_eq(tu_run(cmd, &out, &err), 2);
	cr_assert(strncmp(err, "exectop: ", 9) == 0, "%s", err);
	cr_assert_not_null(strstr(err, d), "%s", err);
	cr_assert_not_null(strstr(err, "directory"), "%s", err);
	cr_assert_str_eq(out, "");
	free(d);
	free(cmd);
	free(out);
	free(err);
}

/*
 * Unreadable (mode 000).  Root reads anything, so the checks run in a
 * child that gives up root first when it has it.  The child reports by
 * exit status: 0 fine, 10 + the step that failed.
 */
static int
unreadable_child(void)
{
	struct model	*m = model_create(NULL);
	struct source	*s;
	char		*cause = NULL, buf[256];
	int		 i;

	if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 9;
	if (source_open(log_path, false, 1 << 20, &cause) != NULL)
		return 10;
	if (strstr(cause, "Permission denied") == NULL ||
	    strstr(cause, log_path) == NULL)
		return 11;
	s = source_open(log_path, true, 1 << 20, &cause);
	if (s == NULL || source_state(s) != SOURCE_ERROR)
		return 12;
	if (strstr(source_status(s, buf, sizeof buf), "Permission denied") ==
	    NULL)
		return 13;
	/* Made readable again (by the parent, which waits for this). */
	if (write(3, "x", 1) != 1)
		return 14;
	for (i = 0; i < 500 && m->records < 5; i++) {
		char	c;

		if (read(4, &c, 1) == 1 || i > 0) {
			source_tick(s, m);
			source_read(s, m, 1 << 20);
		}
		usleep(10000);
	}
	if (m->records != 5 || source_state(s) != SOURCE_READING)
		return 15;
	source_close(s);
	model_free(m);
	return 0;
}

Test(faults_files, unreadable_then_readable)
{
	int	 up[2], down[2], status;
	char	 c;
	pid_t	 pid;

	append(log_path, "U", 0, 5);
	cr_assert_eq(chmod(log_path, 0), 0);
	cr_assert_eq(pipe(up), 0);
	cr_assert_eq(pipe(down), 0);
	pid = fork();
	if (pid == 0) {
		dup2(up[1], 3);
		dup2(down[0], 4);
		_exit(unreadable_child());
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &c, 1) == 1) {
		cr_assert_eq(chmod(log_path, 0644), 0);
		cr_assert_eq(write(down[1], "x", 1), 1);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0, "child failed at step %d",
	    WEXITSTATUS(status));
	close(up[0]);
	close(down[1]);
}
