#!/usr/bin/env bash
# Set up everything nianbao needs on a Debian machine: system packages (when root), a .venv in
# the project root with the pinned Python dependencies, and the project itself (editable).
# Re-running is fast: each step checks before it works.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

# command -> Debian package providing it
declare -A NEED=(
  [chromium]=chromium
  [pdftoppm]=poppler-utils
  [soffice]=libreoffice-writer-nogui
)
FONTS_PKG="fonts-noto-cjk fonts-wqy-zenhei"
missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
if ! fc-list 2>/dev/null | grep -qi -E "noto (sans|serif) cjk|wenquanyi"; then
  missing+=($FONTS_PKG)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: WARNING: missing system packages: ${missing[*]}" >&2
    echo "bootstrap: install them with: sudo apt-get install ${missing[*]}" >&2
    echo "bootstrap: (DOC/WPS reading needs LibreOffice, JS-built pages need Chromium; tests that need them skip)" >&2
  fi
fi

STAMP=.venv/.installed
want="$(cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ -x .venv/bin/python ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
echo "bootstrap: installing Python dependencies (pinned in requirements.txt)"
.venv/bin/python -m pip install -q --upgrade pip wheel setuptools 2>&1 | grep -v "is ignored" || true
.venv/bin/python -m pip install -q -r requirements.txt 2>&1 | grep -v "is ignored" || true
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e . 2>&1 | grep -v "is ignored" || true
# both packages provide the module `opencc`; the reimplementation must never shadow the real one
if .venv/bin/python -m pip show opencc-python-reimplemented >/dev/null 2>&1; then
  echo "bootstrap: removing opencc-python-reimplemented (conflicts with opencc)" >&2
  .venv/bin/python -m pip uninstall -y -q opencc-python-reimplemented
fi
.venv/bin/python -c "import opencc, scrapy, pdfplumber, pypdfium2, sqlalchemy, apscheduler; assert apscheduler.__version__.startswith('3.')" \
  || { echo "bootstrap: Python dependencies failed to install" >&2; exit 1; }
echo "$want" > "$STAMP"
echo "bootstrap: ready (.venv/bin/nianbao)"
