#!/usr/bin/env bash
# Install (first time only) and start kb-responder on http://127.0.0.1:8000 with the demo KB.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
exec .venv/bin/kb-responder serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" "$@"
