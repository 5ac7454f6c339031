/*
 * test_atomicfile.c - atomic file replacement: content, modes, symlinks,
 * and that every failure leaves the old file and no temporary file.
 */
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "testutil.h"

/* Entries in dir whose name contains ".tmp.". */
static int
count_temps(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	cr_assert_not_null(d, "opendir %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".tmp.") != NULL)
			n++;
	}
	closedir(d);
	return n;
}

static void
write_atomic(const char *path, const char *text)
{
	struct atomic_file	 af;
	char			*cause = NULL;
	FILE			*fp;

	fp = atomic_open(&af, path, &cause);
	cr_assert_not_null(fp, "atomic_open: %s", cause);
	cr_assert_eq(fputs(text, fp) >= 0, 1);
	cr_assert_eq(atomic_commit(&af, &cause), 0, "commit: %s", cause);
	cr_assert_null(af.fp);
	cr_assert_null(af.tmp);
}

Test(atomicfile, creates_missing_directories)
{
	char	*dir = tu_tmpdir();
	char	*path = tu_fmt("%s/a/b/c/out.txt", dir);
	char	*sub = tu_fmt("%s/a/b/c", dir);
	char	*got;

	write_atomic(path, "hello\n");
	got = tu_read_file(path, NULL);
	cr_assert_str_eq(got, "hello\n");
	cr_assert_eq(count_temps(sub), 0);
	free(got);
	free(sub);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

Test(atomicfile, replaces_and_keeps_mode)
{
	char		*dir = tu_tmpdir();
	char		*path = tu_fmt("%s/out.txt", dir);
	struct stat	 sb;
	char		*got;

	write_atomic(path, "old\n");
	cr_assert_eq(chmod(path, 0640), 0);
	write_atomic(path, "new content\n");
	got = tu_read_file(path, NULL);
	cr_assert_str_eq(got, "new content\n");
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0640);
	cr_assert_eq(count_temps(dir), 0);
	free(got);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

Test(atomicfile, new_file_gets_umask_mode)
{
	char		*dir = tu_tmpdir();
	char		*path = tu_fmt("%s/out.txt", dir);
	struct stat	 sb;
	mode_t		 old = umask(027);

	write_atomic(path, "x");
	umask(old);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0640, "mode %o", sb.st_mode & 07777);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

Test(atomicfile, symlink_is_kept)
{
	char		*dir = tu_tmpdir();
	char		*real = tu_fmt("%s/real.txt", dir);
	char		*link = tu_fmt("%s/link.txt", dir);
	struct stat	 sb;
	char		*got;

	write_atomic(real, "one");
	cr_assert_eq(symlink("real.txt", link), 0);
	write_atomic(link, "two");
	cr_assert_eq(lstat(link, &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode), "the link was replaced by a file");
	got = tu_read_file(real, NULL);
	cr_assert_str_eq(got, "two");
	cr_assert_eq(count_temps(dir), 0);
	free(got);
	free(real);
	free(link);
	tu_rmtree(dir);
	free(dir);
}

/* The rule for a dangling link (README, Limits): it is replaced by the
 * new file; the missing target is never created through it. */
Test(atomicfile, dangling_symlink_is_replaced_not_followed)
{
	char		*dir = tu_tmpdir();
	char		*gone = tu_fmt("%s/gone.txt", dir);
	char		*link = tu_fmt("%s/link.txt", dir);
	struct stat	 sb;
	char		*got;

	cr_assert_eq(symlink("gone.txt", link), 0);
	write_atomic(link, "new");
	cr_assert_eq(lstat(link, &sb), 0);
	cr_assert(S_ISREG(sb.st_mode), "the dangling link is still there");
	cr_assert_eq(access(gone, F_OK), -1, "written through the link");
	got = tu_read_file(link, NULL);
	cr_assert_str_eq(got, "new");
	cr_assert_eq(count_temps(dir), 0);
	free(got);
	free(gone);
	free(link);
	tu_rmtree(dir);
	free(dir);
}

Test(atomicfile, abort_leaves_old_file)
{
	char			*dir = tu_tmpdir();
	char			*path = tu_fmt("%s/out.txt", dir);
	struct atomic_file	 af;
	char			*cause = NULL, *got;
	FILE			*fp;

	write_atomic(path, "old\n");
	fp = atomic_open(&af, path, &cause);
	cr_assert_not_null(fp);
	fputs("half-written", fp);
	cr_assert_eq(count_temps(dir), 1);
	atomic_abort(&af);
	cr_assert_eq(count_temps(dir), 0);
	got = tu_read_file(path, NULL);
	cr_assert_str_eq(got, "old\n");
	atomic_abort(&af);	/* twice is harmless */
	free(got);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

Test(atomicfile, parent_is_a_file)
{
	char			*dir = tu_tmpdir();
	char			*file = tu_fmt("%s/plain", dir);
	char			*path = tu_fmt("%s/plain/sub/out.txt", dir);
	struct atomic_file	 af;
	char			*cause = NULL;

	tu_write_file(file, "x", 1, 0);
	cr_assert_null(atomic_open(&af, path, &cause));
	cr_assert_not_null(cause);
	cr_assert(strstr(cause, "Not a directory") != NULL, "%s", cause);
	cr_assert(strstr(cause, "plain") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(atomic_mkdirs(path, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);
	free(file);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

Test(atomicfile, target_is_a_directory)
{
	char			*dir = tu_tmpdir();
	struct atomic_file	 af;
	char			*cause = NULL;

	cr_assert_null(atomic_open(&af, dir, &cause));
	cr_assert(strstr(cause, "cannot write") != NULL, "%s", cause);
	cr_assert(strstr(cause, "Is a directory") != NULL, "%s", cause);
	free(cause);
	tu_rmtree(dir);
	free(dir);
}

Test(atomicfile, mkdirs_existing_and_relative)
{
	char	*dir = tu_tmpdir();
	char	*deep = tu_fmt("%s/x//y/z/", dir);
	char	*cause = NULL;
	struct stat sb;

	cr_assert_eq(atomic_mkdirs(deep, &cause), 0, "%s", cause);
	cr_assert_eq(atomic_mkdirs(deep, &cause), 0, "%s", cause);
	cr_assert_eq(stat(deep, &sb), 0);
	cr_assert(S_ISDIR(sb.st_mode));
	cr_assert_eq(atomic_mkdirs("", &cause), 0);
	cr_assert_eq(atomic_mkdirs(".", &cause), 0);
	free(deep);
	tu_rmtree(dir);
	free(dir);
}

/* Writes more than the file size limit allows: the error shows up at
 * fflush/fclose, and the old file must survive. */
Test(atomicfile, write_error_keeps_old_file)
{
	char			*dir = tu_tmpdir();
	char			*path = tu_fmt("%s/out.txt", dir);
	struct atomic_file	 af;
	struct rlimit		 rl;
	char			*cause = NULL, *got, *big;
	FILE			*fp;
	size_t			 n = 256 * 1024;

	write_atomic(path, "old\n");
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = 4096;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);

	big = malloc(n);
	memset(big, 'x', n);
	fp = atomic_open(&af, path, &cause);
	cr_assert_not_null(fp, "%s", cause);
	fwrite(big, 1, n, fp);		/* may or may not fail here */
	cr_assert_eq(atomic_commit(&af, &cause), -1);
	cr_assert(strstr(cause, "cannot write") != NULL, "%s", cause);
	cr_assert(strstr(cause, "too large") != NULL, "%s", cause);

	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_FSIZE, &rl);
	got = tu_read_file(path, NULL);
	cr_assert_str_eq(got, "old\n");
	cr_assert_eq(count_temps(dir), 0);
	free(cause);
	free(got);
	free(big);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* A full filesystem (a small tmpfs; skipped where mounting is not
 * allowed): ENOSPC, old file intact, no temporary file. */
Test(atomicfile, full_disk_keeps_old_file)
{
	char			*dir = tu_tmpdir();
	char			*path = tu_fmt("%s/out.txt", dir);
	struct atomic_file	 af;
	char			*cause = NULL, *got, *big;
	FILE			*fp;
	size_t			 n = 512 * 1024;
	int			 rc;

	if (mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0) {
		tu_rmtree(dir);
		free(path);
		free(dir);
		cr_skip_test("cannot mount a tmpfs here: %s", strerror(errno));
	}
	write_atomic(path, "old\n");
	big = malloc(n);
	memset(big, 'y', n);
	fp = atomic_open(&af, path, &cause);
	cr_assert_not_null(fp, "%s", cause);
	fwrite(big, 1, n, fp);
	rc = atomic_commit(&af, &cause);
	got = tu_read_file(path, NULL);
	int temps = count_temps(dir);
	umount2(dir, MNT_DETACH);
	tu_rmtree(dir);

	cr_assert_eq(rc, -1);
	cr_assert(strstr(cause, "No space left") != NULL, "%s", cause);
	cr_assert_str_eq(got, "old\n");
	cr_assert_eq(temps, 0);
	free(cause);
	free(got);
	free(big);
	free(path);
	free(dir);
}

/* An output path that is a FIFO with no reader fails at once with a
 * clear reason (it used to block in open()); with a reader it is
 * written in place. */
Test(atomicfile, fifo_without_reader_does_not_block, .timeout = 20)
{
	struct atomic_file	 af;
	char			*dir = tu_tmpdir();
	char			*fifo = tu_fmt("%s/out.fifo", dir);
	char			*cause = NULL, buf[16];
	FILE			*fp;
	ssize_t			 n;
	int			 rfd;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	fp = atomic_open(&af, fifo, &cause);
	cr_assert_null(fp);
	cr_assert_not_null(cause);
	cr_expect_not_null(strstr(cause, "no reader"), "%s", cause);
	free(cause);
	cause = NULL;

	rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	cr_assert_neq(rfd, -1);
	fp = atomic_open(&af, fifo, &cause);
	cr_assert_not_null(fp, "%s", cause);
	cr_assert(fputs("hello", fp) >= 0);
	cr_assert_eq(atomic_commit(&af, &cause), 0, "%s", cause);
	n = read(rfd, buf, sizeof buf);
	cr_expect_eq(n, 5);
	close(rfd);
	free(fifo);
	tu_rmtree(dir);
	free(dir);
}
