#!/usr/bin/env bash
# The browser tests drive Debian's chromium (playwright with executable_path). Installs it
# when missing and this runs as root (CI does); otherwise says what to install.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  exit 0
fi
echo "The browser tests need chromium: sudo apt-get install chromium" >&2
