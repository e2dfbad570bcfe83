# The course's set-up, build and tests. A fresh machine needs only `make book`
# and `make test`; every target installs what it uses.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# scripts/build_book.py runs Jupyter Book strictly (-W -n --keep-going: a cell
# error, any stderr output or any Sphinx warning fails), executes the chapters
# in parallel, then checks the result; a failed or damaged build is rebuilt
# from clean on the next run, never served.
BUILD := $(PY) scripts/build_book.py
PORT ?= 8000

.PHONY: book test serve bench binder-check clean distclean venv kernel assets browser setup help lint unit pin record lab
.DEFAULT_GOAL := help

help:
	@echo "make book   - set up (first time) and build the site into _build/html"
	@echo "make test   - set up, build the whole book from clean, run the test suite"
	@echo "make serve  - preview the built site on http://localhost:$(PORT)"
	@echo "make lab    - install JupyterLab (first time) and open the chapters as notebooks"
	@echo "make bench  - measure build and chapter times, write BENCHMARKS.md"
	@echo "make binder-check - execute every chapter in a fresh env from requirements.txt alone"
	@echo "make clean  - remove the build output"
	@echo "make unit   - the quick unit tests only (no build, no browser)"
	@echo "make lint   - ruff on the package, tests and scripts"
	@echo "make pin    - rewrite requirements.txt from the packages installed in .venv"
	@echo "make record - execute every chapter, record what it prints (tests/chapter-outputs.json)"

# The virtualenv is rebuilt whenever a pinned requirements file changes. uv
# (pinned here, installed beside the project in .tools) installs the same
# pinned versions as pip would, in a seventh of the time: it downloads and
# unpacks in parallel. The packages are byte-compiled at install, on every
# core: where PYTHONDONTWRITEBYTECODE is set (as on this machine) Python
# caches nothing it imports, and every kernel would parse MXNet and
# matplotlib from source (a clean build took 107 s instead of 79 s).
UV_VERSION := 0.13.9
UV := .tools/bin/uv
# uv comes from the system Python's pip, or, where that Python has no pip (as
# Debian's without python3-pip), from a throwaway venv's.
UV_PIP = --quiet --disable-pip-version-check --root-user-action=ignore \
	  --target .tools uv==$(UV_VERSION)
$(UV).$(UV_VERSION):
	rm -rf .tools
	if $(PYTHON) -m pip --version >/dev/null 2>&1; then \
	  $(PYTHON) -m pip install $(UV_PIP); \
	else \
	  $(PYTHON) -m venv .tools/boot && .tools/boot/bin/pip install $(UV_PIP); \
	fi
	touch $@

$(VENV)/.stamp: requirements.txt requirements-dev.txt $(UV).$(UV_VERSION)
	rm -rf $(VENV)
	$(UV) venv --quiet --python $(PYTHON) $(VENV)
	$(UV) pip install --quiet --python $(PY) --compile-bytecode -r requirements-dev.txt
	touch $@

# The course's kernel: ipykernel's, started through scripts/same_numerics.py
# so that it computes as the record's machines do on any CPU (AVX-512 paths
# in numpy and oneDNN change the chaotic runs' results). Checked on every
# run, as it is cheap: reinstalled when that script has changed, or when an
# ipykernel upgrade has put ipykernel's own spec back.
KERNEL_DIR := $(VENV)/share/jupyter/kernels/python3
kernel: $(VENV)/.stamp
	@grep -qs same_numerics.py $(KERNEL_DIR)/kernel.json \
	  && cmp -s scripts/same_numerics.py $(KERNEL_DIR)/same_numerics.py \
	  || $(PY) scripts/same_numerics.py --install

venv: $(VENV)/.stamp kernel

# Browser assets from the npm lock file, copied where the site serves them.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

_vendor/.stamp: node_modules/.stamp scripts/vendor_assets.py $(wildcard web/*) $(VENV)/.stamp
	$(PY) scripts/vendor_assets.py
	touch $@

assets: _vendor/.stamp

# Debian's Chromium for the browser tests (Playwright drives it; it never
# downloads a browser of its own).
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The Python set-up and npm's do not depend on each other: they run side by side.
setup:
	@$(MAKE) --no-print-directory --jobs=2 --output-sync=target venv assets

book: setup
	$(BUILD)

# The suite runs one pytest-xdist worker per core (tests/conftest.py hands out
# each chapter execution, each page's browser tests and each other test file
# as one unit, the dearest first).
test: setup browser lint
	rm -rf _build
	$(BUILD) --all
	$(PY) -m pytest tests -n auto

# The quick tier: tests marked `unit` and not `slow` (pyproject.toml registers
# the markers); `make test` runs every tier.
# The site's test files read the built site when they are collected, so skip them.
unit: venv
	$(PY) -m pytest tests -m "unit and not slow" -q -p no:cacheprovider \
	  --ignore=tests/test_browser.py --ignore=tests/test_site.py --ignore=tests/test_build.py

lint: setup
	$(VENV)/bin/ruff check .

pin: venv
	$(PY) scripts/pin.py

# tests/test_chapters.py compares the build's outputs with this record and
# executes a chapter again only where the record is stale or differs: run it
# after changing a chapter or the package, and commit the record.
record: venv
	$(PY) scripts/chapter_outputs.py

# JupyterLab (requirements-lab.txt) on top of the set-up, only when asked
# for: the build and the tests do not need it.
$(VENV)/.lab-stamp: requirements-lab.txt $(VENV)/.stamp
	$(UV) pip install --quiet --python $(PY) --compile-bytecode -r requirements-lab.txt
	touch $@

lab: venv $(VENV)/.lab-stamp
	$(VENV)/bin/jupyter lab chapters/

serve: book
	$(PY) scripts/serve.py --port $(PORT)

bench: setup
	$(PY) bench/run_bench.py

# Binder builds its image from requirements.txt only. Check that this lean set,
# with the course's kernel, runs every chapter and prints what the record
# holds (nbclient, which executes them here, comes with Binder's own Jupyter
# there).
BINDER_VENV := .venv-binder
binder-check:
	rm -rf $(BINDER_VENV)
	$(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet -r requirements.txt nbclient==0.11.0
	$(BINDER_VENV)/bin/python scripts/same_numerics.py --install >/dev/null
	$(BINDER_VENV)/bin/python scripts/run_chapter.py --record $$(sed -n 's/^ *- file: \(.*\)/\1.md/p; s/^root: \(.*\)/\1.md/p' _toc.yml | xargs grep -l '{code-cell}')
	rm -rf $(BINDER_VENV)

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV) $(BINDER_VENV) .tools node_modules _vendor
