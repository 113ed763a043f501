#!/usr/bin/env bash
# Builds the DocC documentation of the documented products with swift-docc-plugin, warnings
# as errors: a symbol link, a `<doc:>` link or a topic that does not resolve fails the build.
#
#   bash Docs/build-docs.sh [OUTPUT-DIR]
#
# The plugin is part of the package only when INNGEST_DOCC is set (see the end of
# Package.swift), so this script sets it. It builds in its own scratch path, `.build-docs`
# unless DOCS_SCRATCH_PATH says otherwise, so that the package graph with the plugin never
# meets the one of ordinary builds in `.build`. The combined archive, every module linked to
# the modules it depends on, is written to OUTPUT-DIR (default `.build-docs/Inngest.doccarchive`);
# `docc preview` or any static file server shows it.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${DOCS_SCRATCH_PATH:-.build-docs}"
output="${1:-$scratch/Inngest.doccarchive}"
targets=(InngestCore Inngest InngestEngine InngestTesting InngestHummingbird InngestVapor InngestAsyncHTTPClient)

arguments=()
for target in "${targets[@]}"; do
    arguments+=(--target "$target")
done

# `--warnings-as-errors` makes DocC exit non-zero on any warning, and the plugin with it.
if ! INNGEST_DOCC=1 swift package --scratch-path "$scratch" --allow-writing-to-directory "$output" \
    generate-documentation "${arguments[@]}" --enable-experimental-combined-documentation \
    --warnings-as-errors --output-path "$output"; then
    echo "build-docs: the documentation has warnings or errors (above)" >&2
    exit 1
fi
echo "build-docs: documentation of ${targets[*]} in $output" >&2
