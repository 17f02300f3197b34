#!/usr/bin/env bash
# run.sh — build kafkalint and run it on this module, as ../examples/run.sh
# does for the lock examples (same flags, including -check). This module
# needs github.com/twmb/franz-go from the module proxy (go.mod pins it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
EXAMPLE_DIR=$here exec "$here/../examples/run.sh" "$@"
