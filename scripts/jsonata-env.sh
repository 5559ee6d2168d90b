#!/usr/bin/env bash
# Fetches what the JSONata tests and benchmark need, when missing:
#
# - target/jsonata-suite: JSONata's official test suite (jsonata-js's
#   test/test-suite), taken from the jsonata-rs 0.3.4 package on crates.io,
#   which ships it as tests/testsuite. The package is fetched, not built. Two
#   expectations that package changed are put back as jsonata-js has them
#   ($string(1e100) is "1e+100", $string(1e21) is "1e+21"), and the lone
#   surrogate "\uD800" of two expressions, which JSON readers refuse, is
#   written as the JSONata escape it stands for. The cases jsonata-rs added
#   (their results checked by a regular expression, "result_re": $uuid(),
#   which is no JSONata function, and $millis()) are left out.
# - target/jsonata-node: jsonata-js 2.0.6, the version AWS Step Functions
#   documents, for the differential test against it and the benchmark.
#
# Needs cargo (with access to crates.io), node and npm (with access to the
# npm registry). Does nothing when both are in place.
set -euo pipefail
cd "$(dirname "$0")/.."

suite=target/jsonata-suite
node_dir=target/jsonata-node
jsonata_js=2.0.6

if [ ! -f "$suite/.complete" ]; then
    echo "jsonata-env.sh: fetching JSONata's test suite into $suite" >&2
    work=target/jsonata-fetch
    rm -rf "$work" "$suite"
    mkdir -p "$work/src"
    cat >"$work/Cargo.toml" <<'EOF'
[package]
name = "jsonata-suite-fetch"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
jsonata-rs = "=0.3.4"

[workspace]
EOF
    : >"$work/src/lib.rs"
    # `cargo fetch` downloads the package (and its dependencies) into
    # cargo's cache; the package is a gzipped tar, read from there.
    cargo fetch --quiet --manifest-path "$work/Cargo.toml"
    crate_file=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name 'jsonata-rs-0.3.4.crate' | head -n 1)
    if [ -z "$crate_file" ]; then
        echo "jsonata-env.sh: cargo fetch left no jsonata-rs-0.3.4.crate in the registry cache" >&2
        exit 1
    fi
    tar -xzf "$crate_file" -C "$work" jsonata-rs-0.3.4/tests/testsuite
    mv "$work/jsonata-rs-0.3.4/tests/testsuite" "$suite"
    rm -rf "$work"

    sed -i 's/"result": "1e100"/"result": "1e+100"/' "$suite/groups/function-string/case002.json"
    sed -i 's/"result": "1e21"/"result": "1e+21"/' "$suite/groups/function-string/case007.json"
    for file in skip/function-encodeUrl/case002.json skip/function-encodeUrlComponent/case002.json; do
        sed -i 's/\\uD800/\\\\uD800/g' "$suite/$file"
    done
    grep -rl '"result_re"' "$suite" | xargs -r rm
    find "$suite" -type d -empty -delete
    grep -q '"1e+100"' "$suite/groups/function-string/case002.json"
    grep -q '"1e+21"' "$suite/groups/function-string/case007.json"
    touch "$suite/.complete"
fi

installed="$node_dir/node_modules/jsonata/package.json"
if ! { [ -f "$installed" ] && grep -q "\"version\": \"$jsonata_js\"" "$installed"; }; then
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "jsonata-env.sh: node and npm are needed for the tests against jsonata-js" >&2
        exit 1
    fi
    echo "jsonata-env.sh: installing jsonata $jsonata_js into $node_dir" >&2
    rm -rf "$node_dir"
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-audit --no-fund --silent "jsonata@$jsonata_js" >&2
    grep -q "\"version\": \"$jsonata_js\"" "$installed"
fi
