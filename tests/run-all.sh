#!/bin/sh
# Runs each test binary given (after the build directory), reports each
# one's result, and exits non-zero if any failed.
#
# With EXECTOP_SANITIZER set (make check-e2e, check-threads: a sanitizer
# build) every process of the run - the test binaries and each exectop
# they start, in tmux too - writes its sanitizer reports to files in one
# directory rather than to a stderr a test may capture or a tmux screen
# nobody reads.  A report from exectop fails the run and is printed,
# whether or not the test noticed; so does an error in a test process.
# A test process's own leaks (a test's strings) do not count.
build=$1; shift
export EXECTOP_BIN="$PWD/$build/exectop"
export EXECTOP_ROOT="$PWD"
# The developer's own configuration must not change test results.
unset EXECTOP_CONFIG
XDG_CONFIG_HOME=$(mktemp -d /tmp/exectop-xdg.XXXXXX)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
san="$XDG_CONFIG_HOME/sanitizer"
if [ -n "${EXECTOP_SANITIZER:-}" ]; then
	mkdir "$san"
	o="log_path=$san/report:log_exe_name=1"
	export ASAN_OPTIONS="$o:fast_unwind_on_malloc=0:${ASAN_OPTIONS:-}"
	export UBSAN_OPTIONS="$o:print_stacktrace=1:${UBSAN_OPTIONS:-}"
	export TSAN_OPTIONS="$o:second_deadlock_stack=1:${TSAN_OPTIONS:-}"
fi
errors='ERROR: (Address|Thread)Sanitizer|WARNING: ThreadSanitizer|runtime error:'
ignored=0
failed=""
for t in "$@"; do
	echo "== $t"
	if ! "$t" --jobs 1 --short-filename; then
		failed="$failed $t"
	fi
	for r in "$san"/report.*; do
		[ -e "$r" ] || continue
		case "$r" in
		*/report.exectop.*) ;;
		*)	if ! grep -qE "$errors" "$r"; then
				ignored=$((ignored + 1))
				rm -f "$r"
				continue
			fi ;;
		esac
		echo "== sanitizer report of $t ($(basename "$r")):" >&2
		cat "$r" >&2
		rm -f "$r"
		case "$failed" in *" $t") ;; *) failed="$failed $t" ;; esac
	done
done
if [ -n "$failed" ]; then
	echo "FAILED:$failed" >&2
	exit 1
fi
[ "$ignored" = 0 ] || echo "($ignored leak reports of test processes ignored)"
echo "all tests passed"
