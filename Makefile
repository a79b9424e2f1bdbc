# Set up and run Oefenkiosk on Debian 12 or 13 / Raspberry Pi OS (bookworm or trixie).
#   make run    install what is needed and start the kiosk in a window
#   make test   install what is needed and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# A real Learning Record Store (Ralph) for the xAPI tests, in its own environment:
# its pinned dependencies (click < 8.2.1) clash with sqlite-utils 4 (click >= 8.3.1).
LRS_VENV ?= .venv-lrs
RALPH := ralph-malph[cli,lrs]>=5.1,<6

# Debian packages: what the kiosk needs to run, and what the tests add.
RUN_PACKAGES := python3-venv libgl1 libegl1 libmtdev1 espeak-ng alsa-utils
TEST_PACKAGES := $(RUN_PACKAGES) xvfb xauth shellcheck poppler-utils zbar-tools \
	cups cups-client cups-ipp-utils cups-filters avahi-daemon dbus

.PHONY: run test lint validate bench fonts system-run system-test clean

run: system-run $(VENV)/.installed
	$(BIN)/oefenkiosk run --windowed

test: system-test $(VENV)/.installed-test $(LRS_VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

validate: $(VENV)/.installed
	$(BIN)/oefenkiosk validate scenarios

fonts: $(VENV)/.installed-test
	$(BIN)/python -m kiosk.i18n.fontbuild

bench: system-test $(VENV)/.installed
	$(BIN)/oefenkiosk bench

# Installs missing Debian packages: directly as root, through sudo otherwise,
# and names them when neither is possible. Debian 13 renamed some libraries
# (libmtdev1 is libmtdev1t64 there): either name counts as installed.
define ensure_packages
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "Not a Debian system: make sure these are installed: $(1)"; exit 0; fi; \
	missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p $${p}t64 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Installing system packages:" $$missing; \
	if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	elif command -v sudo >/dev/null 2>&1; then \
	  sudo apt-get update -qq && sudo apt-get install -y $$missing; \
	else \
	  echo "Please install them first: apt-get install" $$missing; exit 1; \
	fi
endef

system-run:
	$(call ensure_packages,$(RUN_PACKAGES))

system-test:
	$(call ensure_packages,$(TEST_PACKAGES))

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(LRS_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/pip install --quiet '$(RALPH)' requests
	touch $@

clean:
	rm -rf $(VENV) $(LRS_VENV) screenshots bench-out .pytest_cache .ruff_cache .hypothesis
