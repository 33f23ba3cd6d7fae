#!/usr/bin/env bash
# Installs the pinned test servers (stripe-mock, mailpit, versitygw) into .cache/bin once; later runs
# only check the recorded version. Prints the directory. Used by `.ci/run` and by the Go test
# helpers in server/testutil (which call it when a binary is missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${ATELIER_TESTBIN:-$root/.cache/bin}"
mkdir -p "$bin"
install() { # name module version
  local stamp="$bin/.$1.version"
  if [ -x "$bin/$1" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$3" ]; then return; fi
  echo "installing $1 $3 into $bin" >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "$2@$3" >&2
  echo "$3" >"$stamp"
}
install stripe-mock github.com/stripe/stripe-mock v0.203.0
install mailpit github.com/axllent/mailpit v1.33.1
# An S3-compatible server over a local folder, for the photo store's S3 backend.
install versitygw github.com/versity/versitygw/cmd/versitygw v1.8.0
echo "$bin"
