# nnplay for a lab: one image serves a whole room. docs/DEPLOY.md says how to run it.
#   docker build -t nnplay .                        # full MNIST baked in if the build has internet
#   docker build -t nnplay --build-arg MNIST=sample .   # only the bundled 10,000-digit sample
#   docker run --rm -p 8501:8501 nnplay
# Production settings (headless, no file watcher, no usage statistics, XSRF protection, upload cap,
# no error details for students) live in .streamlit/config.toml, which is copied with the code.
# tests/test_deploy.py checks that this file, that config, the Makefile's port and deploy/ agree.
# The base is a build argument: `make image` passes a local stand-in (scripts/make_base_image.sh) when no
# container registry answers; the default is the pinned official image.
ARG BASE_IMAGE=python:3.11.14-slim-bookworm
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    TF_CPP_MIN_LOG_LEVEL=2 \
    OPENBLAS_NUM_THREADS=1 \
    NNPLAY_TF_THREADS=1

# The app runs as this user; only its home (Keras's cache) and /app/static are writable by it.
RUN groupadd --gid 10001 nnplay \
    && useradd --uid 10001 --gid nnplay --create-home --shell /usr/sbin/nologin nnplay

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes. In the same layer (so
# the bytes never reach the image) what the app never loads: TensorFlow's C++ headers (~290 MB), libclang
# (~60 MB, used only to build TensorFlow from source) and the packages' own test suites (~70 MB).
# docs/DEPLOY.md gives the sizes, measured with `podman image history` and `du`.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
    && site="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    && rm -rf "$site/tensorflow/include" "$site/clang" "$site"/libclang-*.dist-info \
    && find "$site" -depth -type d -name tests -exec rm -rf {} +

# plotly.js for the live plots, served by Streamlit's static file serving from ./static (the app
# also refreshes this copy at run time, so the folder belongs to the app user).
RUN mkdir static \
    && python -c "import pathlib, plotly, shutil; shutil.copyfile(pathlib.Path(plotly.__file__).parent / 'package_data' / 'plotly.min.js', 'static/plotly.min.js')" \
    && chown -R nnplay:nnplay static

# MNIST=full: Keras's full mnist.npz (60,000 + 10,000 digits, checked against Keras's SHA-256)
# into the app user's ~/.keras/datasets/, when the build machine has internet. Without internet,
# or with MNIST=sample, the app uses the bundled sample. The app works offline either way.
ARG MNIST=full
COPY scripts/fetch_mnist.py /usr/local/bin/nnplay-fetch-mnist
RUN python /usr/local/bin/nnplay-fetch-mnist --mode "${MNIST}" --dest /home/nnplay/.keras/datasets/mnist.npz \
    && chown -R nnplay:nnplay /home/nnplay/.keras

# The class board's SQLite database (nncore/board) in a volume of its own, the only folder the app user may
# write to; with NNPLAY_DATABASE_URL set (replicas) the board lives in PostgreSQL and /data stays empty.
ENV NNPLAY_DATA_DIR=/data
RUN mkdir /data && chown nnplay:nnplay /data
VOLUME /data

# The code last (see .dockerignore), owned by root and read-only for the app user.
COPY . .

USER 10001:10001
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
