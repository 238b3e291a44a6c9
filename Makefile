# confarchive: `make html` builds the archive, `make test` runs the tests.
# Both create .venv and install the project into it when it is missing.

PYTHON      ?= python3
VENV        ?= .venv
BIN         := $(VENV)/bin
SOURCEDIR   := docs
BUILDDIR    ?= _build
SPHINXOPTS  ?=
CONFDIR     := .
# options of sphinx-autobuild for `make serve`, e.g. --port 8001
SERVEOPTS   ?=
SPHINXBUILD := $(BIN)/sphinx-build
STAMP       := $(VENV)/.installed

.PHONY: help html strict check-links linkcheck serve test clean bench bench-smoke bench-program

help:
	@echo "make html         build the archive into $(BUILDDIR)/html"
	@echo "make test         run the whole test suite"
	@echo "make strict       build with -W --keep-going (any warning fails)"
	@echo "make check-links  check every internal link and anchor of $(BUILDDIR)/html (build it first)"
	@echo "make linkcheck    check external links with Sphinx's linkcheck (needs the internet; not run in CI)"
	@echo "make serve        live preview with sphinx-autobuild"
	@echo "make bench        measure build, rebuild and search costs (long)"
	@echo "make bench-smoke  the benchmark harness on a small size"
	@echo "make bench-program  every pyvideo event imported as a program and built (about 5 min)"
	@echo "make clean        remove $(BUILDDIR)"

# The environment: made once, remade when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $@

html: $(STAMP)
	$(SPHINXBUILD) -M html $(SOURCEDIR) $(BUILDDIR) -c $(CONFDIR) $(SPHINXOPTS)

strict: $(STAMP)
	$(SPHINXBUILD) -M html $(SOURCEDIR) $(BUILDDIR) -c $(CONFDIR) -W --keep-going $(SPHINXOPTS)

# Internal links and anchors of the site html or strict built; run after either.
check-links: $(STAMP)
	$(BIN)/confarchive check-links $(BUILDDIR)/html

# External links. sphinx-build's own exit status is not the verdict (it fails on any
# rate limit or timeout): the report is, and it fails only on broken links. No report
# without a fresh output.json.
linkcheck: $(STAMP)
	@rm -f $(BUILDDIR)/linkcheck/output.json
	$(SPHINXBUILD) -b linkcheck $(SOURCEDIR) $(BUILDDIR)/linkcheck -c $(CONFDIR) $(SPHINXOPTS) || true
	@test -f $(BUILDDIR)/linkcheck/output.json || \
	  { echo "make linkcheck: sphinx-build wrote no $(BUILDDIR)/linkcheck/output.json" >&2; exit 1; }
	$(BIN)/confarchive linkcheck-report $(BUILDDIR)/linkcheck --source-dir $(SOURCEDIR)

serve: $(STAMP)
	$(BIN)/sphinx-autobuild $(SOURCEDIR) $(BUILDDIR)/html -c $(CONFDIR) --watch extensions $(SERVEOPTS) $(SPHINXOPTS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	PYTHONPATH=tests $(BIN)/python -m bench $(BENCH_ARGS)

bench-smoke: $(STAMP)
	PYTHONPATH=tests $(BIN)/python -m bench --smoke $(BENCH_ARGS)

bench-program: $(STAMP)
	PYTHONPATH=tests $(BIN)/python -m bench --program $(BENCH_ARGS)

clean:
	rm -rf $(BUILDDIR)
