#!/usr/bin/env bash
# Installs what the console's browser test (tests/console.rs) drives:
# Debian's `chromium` and `chromium-driver` (/usr/bin/chromium and
# /usr/bin/chromedriver), with apt-get, when they are missing and apt-get can
# be used (as root, or through sudo without a password). Otherwise it says
# why and carries on: the test then says it cannot run and passes. Quiet and
# quick when both are installed already.
set -uo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi

say() { echo "browser-env.sh: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
    say "chromium or chromedriver is missing and there is no apt-get to install them; the console's browser test will not run"
    exit 0
fi

if [ "$(id -u)" = 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    say "chromium or chromedriver is missing and installing them needs root (or sudo without a password); the console's browser test will not run"
    exit 0
fi

say "installing chromium and chromium-driver with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get update -qq >/dev/null; then
    say "apt-get update failed; the console's browser test will not run"
    exit 0
fi
if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; then
    say "apt-get install chromium chromium-driver failed; the console's browser test will not run"
    exit 0
fi
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
else
    say "apt-get ran but /usr/bin/chromium or /usr/bin/chromedriver is still missing; the console's browser test will not run"
fi
