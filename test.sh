#!/usr/bin/env bash
# Install (first time only), lint, type-check and run every test: unit (fake embedder),
# slow (the real converted model) and integration (PostgreSQL on 127.0.0.1:5432, db `test`;
# Debian's chromium for the browser tests, installed here when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
scripts/ensure_chromium.sh
.venv/bin/ruff check responder tests benchmarks
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
