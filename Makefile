# nnplay: `make run` starts the app, `make test` runs everything (it installs what it needs).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
IMAGE   ?= nnplay:latest
# Empty: the Dockerfile's pinned default, or (podman, no registry) scripts/make_base_image.sh's stand-in.
BASE_IMAGE ?=
# docker when a daemon answers, else podman; ENGINE=podman forces it (the tests marked `container` do).
ENGINE  ?= $(shell command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && echo docker || echo podman)
# podman's settings for these machines (runc, rlimits), without touching /etc: deploy/podman/containers.conf.
export CONTAINERS_CONF ?= $(CURDIR)/deploy/podman/containers.conf
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test unit lint browser bench chromium nginx postgresql podman torch image clean

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

# Debian's PostgreSQL for tests/test_board_store.py (it runs its own cluster in a temporary folder on a
# loopback port, as the user postgres when run as root); the app itself needs it only with NNPLAY_DATABASE_URL.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			postgresql >/dev/null; \
	fi
	@ls /usr/lib/postgresql/*/bin/initdb

# Debian's PyTorch for the system Python (/usr/bin/python3), never the venv: tests/test_torch_export.py
# runs the exported "PyTorch code" with it in a subprocess, so the app's requirements do not grow.
torch:
	@if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			python3-torch >/dev/null; \
	fi
	@/usr/bin/python3 -c "import torch; print('torch', torch.__version__)"

# Debian's podman (with runc: crun refuses hybrid cgroups), podman-compose and mmdebstrap (the stand-in
# base image), for `make image` and the tests marked `container`.
podman:
	@if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v mmdebstrap >/dev/null \
			|| ! command -v podman-compose >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			podman runc mmdebstrap podman-compose uidmap netavark aardvark-dns iptables >/dev/null; \
	fi
	@podman --version

# The image: with docker when a daemon answers, else with podman (on the stand-in base when no registry
# answers: scripts/make_base_image.sh). `make image BASE_IMAGE=...` for another base, IMAGE=... for the tag.
image: $(if $(filter podman,$(ENGINE)),podman)
	@if [ "$(ENGINE)" = docker ]; then \
		echo "image: docker build -t $(IMAGE)"; \
		docker build -t $(IMAGE) $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE)) . ; \
	else \
		base="$(BASE_IMAGE)" && base="$${base:-$$(scripts/make_base_image.sh)}" && \
		echo "image: podman build -t $(IMAGE) on $$base" && \
		podman build --quiet --format docker --jobs 2 --build-arg BASE_IMAGE="$$base" -t $(IMAGE) . ; \
	fi

run: $(VENV)/.installed-run
	OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} NNPLAY_TF_THREADS=$${NNPLAY_TF_THREADS:-1} $(BIN)/streamlit run app.py --server.port $(PORT)

# The linter (ruff.toml): pyflakes, pycodestyle, import order, bugbear.
lint: $(VENV)/.installed
	$(BIN)/ruff check .

test: lint chromium nginx postgresql podman torch
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Fast: no apt, no browser (the Chromium tests are marked `browser`).
unit: lint
	$(BIN)/python -m pytest -q -m "not browser and not system and not container"

# Every script in bench/ (about 15 min), then docs/BENCHMARKS.md rewritten from their outputs (bench/report.py).
bench: $(VENV)/.installed chromium
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) .pytest_cache
