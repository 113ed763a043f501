#!/usr/bin/env bash
# Differential tests: our parsers against reference implementations from PyPI, on generated
# cases. Families: cel (CELExpression vs cel-python), cron (CronSchedule vs croniter),
# jcs (JSONCanonicalization vs rfc8785), manifest (ManifestReader vs jsonschema with
# Schemas/inngest-manifest.schema.json).
#
#   Tests/Differential/run.sh [CASES] [--seed S] [--family NAME ...] [--show N]
#
# CASES per family (default 2000). The seed is fixed (1) unless --seed or DIFFERENTIAL_SEED
# gives another, so a failure reproduces with the seed the run prints. Exits 1 on any
# difference that is neither an agreement nor on a family's documented allowlist.
#
# The venv (Tests/Differential/.venv, from requirements.txt) is made once and reinstalled only
# when requirements.txt changes. The Swift side is one driver compiled with swiftc from
# InngestCore's sources and the few InngestCodegen files the manifest reader needs (no
# SwiftPM, so no .build lock), into .build/differential; rebuilt only when a source is newer.
# DIFFERENTIAL_PYTHON picks the python (>= 3.10) that creates the venv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

cases=2000
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then cases="$1"; shift; fi
say() { echo "differential: $*" >&2; }

# --- Python virtualenv ----------------------------------------------------------------
source "$root/Tests/Support/python-venv.sh"
SUITE_PYTHON="${DIFFERENTIAL_PYTHON:-${SUITE_PYTHON:-python3}}" python_venv "$here/.venv" "$here/requirements.txt"

# --- Swift driver ---------------------------------------------------------------------
out=.build/differential
driver="$out/driver"
codegen=(Sources/InngestCodegen/Manifest/ManifestReader.swift Sources/InngestCodegen/Manifest/Manifest.swift
    Sources/InngestCodegen/Manifest/ManifestCoding.swift Sources/InngestCodegen/Manifest/JSONLocator.swift
    Sources/InngestCodegen/Model/CodegenDiagnostic.swift Sources/InngestCodegen/Model/SourcePosition.swift
    Sources/InngestCodegen/Model/StepTool.swift Sources/InngestCodegen/Config/CodegenConfiguration.swift)
sources=($(find Sources/InngestCore -name '*.swift') "${codegen[@]}" "$here"/Driver/*.swift)
mkdir -p "$out"
stale=0
[ -x "$driver" ] || stale=1
if [ "$stale" = 0 ]; then
    for file in "${sources[@]}"; do
        if [ "$file" -nt "$driver" ]; then stale=1; break; fi
    done
fi
if [ "$stale" = 1 ]; then
    say "compiling the driver"
    # One module named InngestCore, so package-level API is in reach; the codegen files'
    # `import InngestCore` is then an import of their own module, which swiftc ignores.
    swiftc -O -swift-version 6 -module-name InngestCore -package-name swift_inngest \
        "${sources[@]}" -o "$driver" 2>"$out/build.log" || { cat "$out/build.log" >&2; exit 1; }
fi

# --- run ------------------------------------------------------------------------------
seed="${DIFFERENTIAL_SEED:-1}"
exec "$venv_python" "$here/differential.py" --driver "$driver" --cases "$cases" --seed "$seed" \
    --failures "$out" "$@"
