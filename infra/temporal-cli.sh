#!/usr/bin/env bash
# Prints the path of a Temporal CLI: $EVALSHARD_TEMPORAL_CLI, else `temporal`
# on PATH, else the copy this script installed before, else it installs the
# pinned release with the Go toolchain (later releases carry `replace`
# directives that break `go install`).
set -euo pipefail
version="v1.5.1"
install_dir="${EVALSHARD_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/evalshard}/temporal-cli-$version"

if [ -n "${EVALSHARD_TEMPORAL_CLI:-}" ]; then
  if [ -x "$EVALSHARD_TEMPORAL_CLI" ]; then echo "$EVALSHARD_TEMPORAL_CLI"; exit 0; fi
  echo "error: EVALSHARD_TEMPORAL_CLI=$EVALSHARD_TEMPORAL_CLI is not an executable" >&2
  exit 1
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x "$install_dir/temporal" ]; then echo "$install_dir/temporal"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  echo "error: no Temporal CLI on PATH and no Go toolchain to install one." >&2
  echo "  Install Go (Debian: apt-get install golang-go), or put a Temporal CLI on PATH," >&2
  echo "  or set EVALSHARD_TEMPORAL_CLI to its path." >&2
  exit 1
fi
echo "Installing Temporal CLI $version with go install into $install_dir (once; a few minutes)..." >&2
mkdir -p "$install_dir"
GOBIN="$install_dir" GOFLAGS="${GOFLAGS:-} -mod=mod" go install "github.com/temporalio/cli/cmd/temporal@$version" >&2
echo "$install_dir/temporal"
