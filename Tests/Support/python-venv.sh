# Sourced by the suites that run Python (interop, browser, differential, chaos):
#
#     python_venv DIR REQUIREMENTS...
#
# makes DIR a virtualenv with the pinned REQUIREMENTS installed, from $SUITE_PYTHON (default
# python3, which must be 3.10 or newer: the Inngest SDK needs it). The venv is (re)created when
# missing or when its interpreter is gone, and pip runs only when the requirements changed
# since the last install (a stamp in the venv), so a second run costs nothing. Sets
# $venv_python to the venv's interpreter.
python_venv() {
    local venv="$1"
    shift
    local stamp="$venv/.requirements-stamp" wanted python="${SUITE_PYTHON:-python3}"
    if ! "$venv/bin/python" -c '' 2>/dev/null; then
        if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
            echo "$python is missing or older than 3.10; set SUITE_PYTHON" >&2
            return 1
        fi
        echo "creating $venv" >&2
        "$python" -m venv --clear "$venv"
    fi
    wanted="$(cat "$@")"
    if [ "$wanted" != "$(cat "$stamp" 2>/dev/null || true)" ]; then
        echo "installing $* into $venv" >&2
        local args=()
        local file
        for file in "$@"; do args+=(-r "$file"); done
        "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "${args[@]}"
        printf '%s' "$wanted" > "$stamp"
    fi
    venv_python="$venv/bin/python"
}
