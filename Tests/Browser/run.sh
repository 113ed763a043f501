#!/usr/bin/env bash
# The dashboard in a real browser: `inngest dev` drives the Python interop app
# (Tests/Interop/python/app.py), and headless Chromium (Debian's `chromium` and
# `chromium-driver`) opens the dashboard through Selenium.
#
#   bash Tests/Browser/run.sh            (needs `inngest` built; BROWSER_BIN_DIR names where)
#
# Environment: BROWSER_BIN_DIR (directory of the `inngest` binary; default: swift build --show-bin-path),
# DASHBOARD_SCREENSHOT (where to write the run page's screenshot; default: none).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
say() { echo "browser: $*" >&2; }

for tool in chromium chromedriver; do
    if ! command -v "$tool" >/dev/null; then
        say "$tool is missing: apt-get install chromium chromium-driver fonts-dejavu-core"
        exit 1
    fi
done

source "$root/Tests/Support/python-venv.sh"
python_venv "$here/.venv" "$here/requirements.txt" "$root/Tests/Interop/python/requirements.txt"

bin="${BROWSER_BIN_DIR:-$(swift build --show-bin-path)}"
exec "$venv_python" "$here/dashboard_test.py" --inngest "$bin/inngest" --app "$root/Tests/Interop/python/app.py"
