#!/usr/bin/env bash
# Creates the Python environment of the differential tests: a venv at
# target/test-venv holding the pinned packages of
# tests/differential/requirements.txt (moto's Step Functions server and boto3).
# Does nothing when the venv already holds exactly that list. Needs Python 3.9
# or later (`python3`, or the interpreter named by $PYTHON) and pip's access to
# the Python package index.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/test-venv
requirements=tests/differential/requirements.txt
stamp="$venv/installed-requirements.txt"
python="${PYTHON:-python3}"

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
    exit 0
fi

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
    echo "test-env.sh: $python is missing or older than Python 3.9; set PYTHON to a Python 3.9+ interpreter" >&2
    exit 1
fi

echo "test-env.sh: creating $venv from $requirements" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --requirement "$requirements"
# A broken or incomplete list shows here rather than in the first test.
"$venv/bin/python" -m pip check >/dev/null
"$venv/bin/python" -c 'import boto3, flask_cors, moto.server, moto.stepfunctions.parser.models'
cp "$requirements" "$stamp"
