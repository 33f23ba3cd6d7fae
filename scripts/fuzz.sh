#!/usr/bin/env bash
# Runs each fuzz target under graph/ and server/ for FUZZTIME (default 10s). Crashers found
# stay in the package's testdata/fuzz and fail the run.
#
# A target that fails with "context deadline exceeded" and writes no crasher hit a race in Go's
# fuzzing coordinator at the -fuzztime boundary (go.dev/issue/75804, fixed in Go 1.27; a worker
# busy on a slow input when the time is up is reported as a failure): that target runs once
# more, and fails the run only if it fails again.
set -euo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# crashers lists the inputs kept for target $2 of package $1.
crashers() {
	if [ -d "$1/testdata/fuzz/$2" ]; then
		find "$1/testdata/fuzz/$2" -type f | sort
	fi
}

for f in $(grep -rlE '^func Fuzz' --include='*_test.go' graph server); do
	dir=./$(dirname "$f")
	for name in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$f" | cut -d' ' -f2); do
		for try in 1 2; do
			echo "--- $dir $name"
			before=$(crashers "$dir" "$name")
			if "$GO" test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" "$dir" 2>&1 | tee "$log"; then
				break
			fi
			if [ "$try" = 1 ] && [ "$(crashers "$dir" "$name")" = "$before" ] &&
				grep -q '^    context deadline exceeded$' "$log"; then
				echo "--- $name: 'context deadline exceeded' with no crasher (go.dev/issue/75804): once more"
				continue
			fi
			exit 1
		done
	done
done
