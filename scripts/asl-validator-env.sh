#!/usr/bin/env bash
# Installs asl-validator (the npm package that checks Amazon States Language
# definitions against the language's JSON schema and its path rules) into
# target/asl-validator, when missing: tests/workflow_jsonata.rs runs it on
# the examples' definitions and on what `workflow!` writes.
#
# Needs node and npm (with access to the npm registry). Does nothing when the
# pinned version is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=target/asl-validator
version=4.0.0
installed="$dir/node_modules/asl-validator/package.json"
if ! { [ -f "$installed" ] && grep -q "\"version\": \"$version\"" "$installed"; }; then
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "asl-validator-env.sh: node and npm are needed to install asl-validator" >&2
        exit 1
    fi
    echo "asl-validator-env.sh: installing asl-validator $version into $dir" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "asl-validator@$version" >&2
    grep -q "\"version\": \"$version\"" "$installed"
fi
