/*
 * test_faults_output.c - issue 5, cases 10 and 11 for the headless
 * commands: report and baseline files written into a missing directory,
 * a read-only one, a full filesystem (a small tmpfs) and past the file
 * size limit (a short write), each failing with one clear line, exit 2,
 * the previous file intact and no temporary file left; a report written
 * to a pipe whose reader has gone (SIGPIPE) ends with a clean error; and
 * -o naming something that is not a regular file writes to it instead of
 * replacing it.
 *
 * The unit tests (test_atomicfile.c, test_report.c, test_baseline.c)
 * check the same through the library; these run the real binary, with
 * the signal dispositions a shell gives it.
 */
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static char	*src;		/* a stream of 2,000 executors */

static void
setup(void)
{
	char	*cmd;

	tu_dir_setup_isolated();
	src = tu_path("s.jsonl");
	cmd = tu_fmt("'%s' gen --records 4000 --executors 2000 > '%s'",
	    tu_exectop(), src);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0);
	free(cmd);
}

static void
teardown(void)
{
	char	*m;

	/* A failed assertion may have left a test's mount behind. */
	m = tu_fmt("%s/ro", tu_dir);
	umount2(m, MNT_DETACH);
	free(m);
	m = tu_fmt("%s/full", tu_dir);
	umount2(m, MNT_DETACH);
	free(m);
	tu_dir_teardown();
	free(src);
}

TestSuite(faults_output, .init = setup, .fini = teardown, .timeout = 120);

struct run {
	int	 status;	/* exit status, or 128 + signal */
	char	*err;
};

/*
 * Runs exectop ARGS with stdout to out_fd (-1: /dev/null), default signal
 * dispositions (as from a shell), and an optional file size limit.
 */
static void
run(char *const args[], int out_fd, long fsize_limit, struct run *r)
{
	char		*epath = tu_fmt("%s/.stderr", tu_dir);
	int		 efd, status;
	pid_t		 pid;
	struct rlimit	 rl;

	efd = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_neq(efd, -1);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		signal(SIGXFSZ, SIG_DFL);
		if (fsize_limit > 0) {
			getrlimit(RLIMIT_FSIZE, &rl);
			rl.rlim_cur = (rlim_t)fsize_limit;
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		if (out_fd == -1)
			out_fd = open("/dev/null", O_WRONLY);
		dup2(out_fd, 1);
		dup2(efd, 2);
		execv(tu_exectop(), args);
		_exit(127);
	}
	close(efd);
	if (out_fd != -1)
		close(out_fd);
	while (waitpid(pid, &status, 0) == -1)
		cr_assert_eq(errno, EINTR);
	r->status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	    WEXITSTATUS(status);
	r->err = tu_read_file(epath, NULL);
	free(epath);
}

/* Entries of a directory other than . and .. ; temporary files counted
 * separately. */
static int
entries(const char *path, int *temps)
{
	DIR		*d = opendir(path);
	struct dirent	*de;
	int		 n = 0;

	cr_assert_not_null(d, "opendir %s", path);
	*temps = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		if (strstr(de->d_name, ".tmp") != NULL)
			(*temps)++;
	}
	closedir(d);
	return n;
}

/* Expects exit 2, one stderr line "exectop: ..." holding want and the
 * target path, the old content in place, no temporary file. */
static void
expect_failed(struct run *r, const char *target, const char *old,
    const char *want)
{
	char		*got, *tdir, *slash;
	const char	*nl;
	int		 temps;

	cr_assert_eq(r->status, 2, "exit %d (stderr: %s)", r->status, r->err);
	cr_assert(strncmp(r->err, "exectop: ", 9) == 0, "%s", r->err);
	nl = strchr(r->err, '\n');
	cr_assert(nl != NULL && nl[1] == '\0', "not one line: %s", r->err);
	cr_assert_not_null(strstr(r->err, want), "'%s' lacks '%s'", r->err,
	    want);
	cr_assert_not_null(strstr(r->err, target), "'%s' lacks the path",
	    r->err);
	if (old != NULL) {
		got = tu_read_file(target, NULL);
		cr_assert_not_null(got, "%s is gone", target);
		cr_assert_str_eq(got, old, "the previous file was changed");
		free(got);
	}
	tdir = strdup(target);
	slash = strrchr(tdir, '/');
	*slash = '\0';
	entries(tdir, &temps);
	cr_assert_eq(temps, 0, "temporary file left in %s", tdir);
	free(tdir);
}

Test(faults_output, missing_directory_is_created)
{
	char	*out = tu_fmt("%s/a/b/c/report.html", tu_dir);
	char	*bl = tu_fmt("%s/x/y/base.yaml", tu_dir);
	char	*a1[] = { "exectop", "report", "-f", "html", "-o", out, src, NULL };
	char	*a2[] = { "exectop", "baseline", "-o", bl, src, NULL };
	struct run r;
	struct stat st;
	int	 temps;

	run(a1, -1, 0, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(out, &st), 0);
	cr_assert_gt(st.st_size, 1000);
	free(r.err);
	run(a2, -1, 0, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(bl, &st), 0);
	free(r.err);
	*strrchr(out, '/') = '\0';
	cr_assert_eq(entries(out, &temps), 1);
	cr_assert_eq(temps, 0);
	free(out);
	free(bl);
}

/* Mounts a tmpfs at path (size in KB, read-only or not); false when this
 * system does not allow it. */
static bool
mount_tmpfs(const char *path, int kb, bool ro)
{
	char	*opt = tu_fmt("size=%dk", kb);
	int	 rc;

	rc = mount("tmpfs", path, "tmpfs", ro ? MS_RDONLY : 0, opt);
	free(opt);
	return rc == 0;
}

/* A directory nobody may write to: a read-only tmpfs where mounting is
 * allowed (root ignores file modes), else mode 0555. */
Test(faults_output, read_only_directory)
{
	char	*ro = tu_fmt("%s/ro", tu_dir), *target = tu_fmt("%s/ro/r.json", tu_dir);
	char	*bl = tu_fmt("%s/ro/base.yaml", tu_dir);
	char	*a1[] = { "exectop", "report", "-o", target, src, NULL };
	char	*a2[] = { "exectop", "baseline", "-o", bl, src, NULL };
	struct run r;
	bool	 mounted = false;

	cr_assert_eq(mkdir(ro, 0755), 0);
	if (mount_tmpfs(ro, 1024, false)) {
		tu_write_file(target, "OLD\n", 4, 0);
		tu_write_file(bl, "OLDBL\n", 6, 0);
		cr_assert_eq(mount("none", ro, NULL, MS_REMOUNT | MS_RDONLY, NULL),
		    0, "remount ro: %s", strerror(errno));
		mounted = true;
	} else {
		if (geteuid() == 0) {
			free(ro);
			cr_skip_test("root without mount: cannot make a "
			    "directory read-only");
		}
		tu_write_file(target, "OLD\n", 4, 0);
		tu_write_file(bl, "OLDBL\n", 6, 0);
		cr_assert_eq(chmod(ro, 0555), 0);
	}
	run(a1, -1, 0, &r);
	expect_failed(&r, target, "OLD\n", mounted ? "Read-only file system" :
	    "Permission denied");
	free(r.err);
	run(a2, -1, 0, &r);
	expect_failed(&r, bl, "OLDBL\n", mounted ? "Read-only file system" :
	    "Permission denied");
	free(r.err);
	if (mounted)
		umount2(ro, MNT_DETACH);
	else
		chmod(ro, 0755);
	free(ro);
	free(target);
	free(bl);
}

/* A full filesystem: fprintf succeeds, the error comes at flush/close. */
Test(faults_output, full_disk)
{
	char	*full = tu_fmt("%s/full", tu_dir);
	char	*target = tu_fmt("%s/full/r.html", tu_dir);
	char	*bl = tu_fmt("%s/full/base.yaml", tu_dir);
	char	*a1[] = { "exectop", "report", "-f", "html", "-o", target, src,
		    NULL };
	char	*a2[] = { "exectop", "baseline", "-o", bl, src, NULL };
	struct run r;

	cr_assert_eq(mkdir(full, 0755), 0);
	if (!mount_tmpfs(full, 64, false)) {
		free(full);
		cr_skip_test("cannot mount a tmpfs here: %s", strerror(errno));
	}
	tu_write_file(target, "OLD\n", 4, 0);
	tu_write_file(bl, "OLDBL\n", 6, 0);
	run(a1, -1, 0, &r);
	expect_failed(&r, target, "OLD\n", "No space left on device");
	free(r.err);
	run(a2, -1, 0, &r);
	expect_failed(&r, bl, "OLDBL\n", "No space left on device");
	free(r.err);
	umount2(full, MNT_DETACH);
	free(full);
	free(target);
	free(bl);
}

/* A short write: the file size limit cuts the write part-way.  With the
 * default disposition SIGXFSZ would kill exectop mid-write and leave the
 * temporary file behind; it must get EFBIG and clean up instead. */
Test(faults_output, short_write_file_size_limit)
{
	char	*target = tu_fmt("%s/r.md", tu_dir), *bl = tu_fmt("%s/b.yaml", tu_dir);
	char	*a1[] = { "exectop", "report", "-f", "markdown", "-o", target,
		    src, NULL };
	char	*a2[] = { "exectop", "baseline", "-o", bl, src, NULL };
	struct run r;

	tu_write_file(target, "OLD\n", 4, 0);
	tu_write_file(bl, "OLDBL\n", 6, 0);
	run(a1, -1, 8192, &r);
	expect_failed(&r, target, "OLD\n", "File too large");
	free(r.err);
	run(a2, -1, 8192, &r);
	expect_failed(&r, bl, "OLDBL\n", "File too large");
	free(r.err);
	free(target);
	free(bl);
}

/* The report to a pipe whose reader left early: a clean error, exit 2,
 * not death by SIGPIPE.  The same for every format. */
Test(faults_output, sigpipe_clean_error)
{
	static const char *formats[] = { "json", "markdown", "html" };
	char	*args[] = { "exectop", "report", "-f", NULL, src, NULL };
	struct run r;
	size_t	 i;
	int	 p[2];

	for (i = 0; i < 3; i++) {
		cr_assert_eq(pipe(p), 0);
		close(p[0]);		/* nobody will read */
		args[3] = (char *)formats[i];
		run(args, p[1], 0, &r);
		cr_assert_eq(r.status, 2, "%s: exit %d (141 = killed by "
		    "SIGPIPE): %s", formats[i], r.status, r.err);
		cr_assert(strncmp(r.err, "exectop: ", 9) == 0, "%s", r.err);
		cr_assert_not_null(strstr(r.err, "Broken pipe"), "%s", r.err);
		cr_assert_eq(strchr(r.err, '\n')[1], '\0', "%s", r.err);
		free(r.err);
	}
}

/* -o naming a FIFO or a character device: written to, never replaced by
 * a regular file (as root, "-o /dev/null" must not replace /dev/null). */
Test(faults_output, output_to_fifo_or_device_is_not_replaced)
{
	char		*fifo = tu_fmt("%s/out.fifo", tu_dir);
	char		*dev = tu_fmt("%s/null", tu_dir);
	char		*a1[] = { "exectop", "report", "-o", fifo, src, NULL };
	char		*a2[] = { "exectop", "report", "-o", dev, src, NULL };
	struct run	 r;
	struct stat	 st;
	pid_t		 reader;
	int		 status, rfd;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	/* The read end is open before exectop starts: a FIFO with no
	 * reader is refused at once (see the next test). */
	rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	cr_assert_neq(rfd, -1);
	reader = fork();
	if (reader == 0) {
		/* Reads until the writer has come and gone, for at most
		 * 30 s: never blocks for ever if no writer comes. */
		char		buf[65536];
		long		total = 0;
		ssize_t		n;
		struct pollfd	pfd;
		int		fd = rfd;
		time_t		end = time(NULL) + 30;

		while (time(NULL) < end) {
			pfd.fd = fd;
			pfd.events = POLLIN;
			poll(&pfd, 1, 100);
			while ((n = read(fd, buf, sizeof buf)) > 0)
				total += n;
			if (n == 0 && total > 0)
				break;
		}
		_exit(total > 1000 ? 0 : 1);
	}
	close(rfd);
	run(a1, -1, 0, &r);
	cr_assert_eq(lstat(fifo, &st), 0);
	if (!S_ISFIFO(st.st_mode)) {
		/* Let the reader go before failing. */
		kill(reader, SIGKILL);
		waitpid(reader, NULL, 0);
		cr_assert_fail("the FIFO was replaced by a regular file");
	}
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(waitpid(reader, &status, 0), reader);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the reader got nothing");
	free(r.err);

	if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) != 0)
		cr_skip_test("mknod: %s", strerror(errno));
	run(a2, -1, 0, &r);
	cr_assert_eq(lstat(dev, &st), 0);
	cr_assert(S_ISCHR(st.st_mode), "the device was replaced by a file");
	cr_assert_eq(r.status, 0, "%s", r.err);
	free(r.err);
	free(fifo);
	free(dev);
}

/* Issue 12: an output FIFO with no reader is refused at once (exit 2,
 * "no reader"), for report and baseline alike; it used to block in
 * open() for ever.  The FIFO is left as it was. */
Test(faults_output, output_fifo_without_reader_does_not_block)
{
	char		*fifo = tu_fmt("%s/noreader.fifo", tu_dir);
	char		*a1[] = { "exectop", "report", "-o", fifo, src, NULL };
	char		*a2[] = { "exectop", "baseline", "-o", fifo, src, NULL };
	struct run	 r;
	struct stat	 st;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	run(a1, -1, 0, &r);
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect_not_null(strstr(r.err, "a FIFO with no reader"), "%s", r.err);
	free(r.err);
	run(a2, -1, 0, &r);
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect_not_null(strstr(r.err, "a FIFO with no reader"), "%s", r.err);
	free(r.err);
	cr_assert_eq(lstat(fifo, &st), 0);
	cr_expect(S_ISFIFO(st.st_mode));
	free(fifo);
}

/* Issue 12 (Low): -o - is standard output, for report and baseline; no
 * file named "-" is made. */
Test(faults_output, dash_output_is_stdout)
{
	char		*out = tu_fmt("%s/stdout.txt", tu_dir);
	char		*dash = tu_fmt("%s/-", tu_dir);
	char		*a1[] = { "exectop", "report", "-o", "-", src, NULL };
	char		*a2[] = { "exectop", "baseline", "-o", "-", src, NULL };
	struct run	 r;
	char		*text;
	int		 fd;

	cr_assert_eq(chdir(tu_dir), 0);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	run(a1, fd, 0, &r);
	cr_expect_eq(r.status, 0, "%s", r.err);
	free(r.err);
	text = tu_read_file(out, NULL);
	cr_expect_not_null(strstr(text, "\"total_executors\": 2000"), "%.200s",
	    text);
	free(text);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	run(a2, fd, 0, &r);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_not_null(strstr(r.err, "standard output"), "%s", r.err);
	free(r.err);
	text = tu_read_file(out, NULL);
	cr_expect_not_null(strstr(text, "version: 1"), "%.200s", text);
	free(text);
	cr_expect_eq(access(dash, F_OK), -1, "a file named - was made");
	free(out);
	free(dash);
}
