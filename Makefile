# nnplay: `make run` starts the app, `make test` runs everything (it installs what it needs).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test unit lint browser bench chromium nginx clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Debian's Chromium (Playwright cannot download its own browser here) and an emoji font.
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "color emoji"; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium fonts-noto-color-emoji fonts-dejavu-core >/dev/null; \
	fi
	@/usr/bin/chromium --version

# Debian's nginx for the tests of deploy/nginx.conf (they run their own nginx on loopback ports).
nginx:
	@if [ ! -x /usr/sbin/nginx ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			nginx >/dev/null; \
	fi
	@/usr/sbin/nginx -v

run: $(VENV)/.installed-run
	$(BIN)/streamlit run app.py --server.port $(PORT)

# The linter (ruff.toml): pyflakes, pycodestyle, import order, bugbear.
lint: $(VENV)/.installed
	$(BIN)/ruff check .

test: lint chromium nginx
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Fast: no apt, no browser (the Chromium tests are marked `browser`).
unit: lint
	$(BIN)/python -m pytest -q -m "not browser and not system"

# Every script in bench/ (about 15 min), then docs/BENCHMARKS.md rewritten from their outputs (bench/report.py).
bench: $(VENV)/.installed chromium
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) .pytest_cache
