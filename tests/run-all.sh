#!/bin/sh
# Runs each test binary given (after the build directory), reports each
# one's result, and exits non-zero if any failed.
build=$1; shift
export EXECTOP_BIN="$PWD/$build/exectop"
export EXECTOP_ROOT="$PWD"
# The developer's own configuration must not change test results.
unset EXECTOP_CONFIG
XDG_CONFIG_HOME=$(mktemp -d /tmp/exectop-xdg.XXXXXX)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
failed=""
for t in "$@"; do
	echo "== $t"
	if ! "$t" --jobs 1 --short-filename; then
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "FAILED:$failed" >&2
	exit 1
fi
echo "all tests passed"
