# A small nginx image for the replicas' proxy when no container registry answers (so the official
# nginx:*-alpine of deploy/docker-compose.replicas.yml cannot be pulled): Debian's nginx on the same
# base as the app (BASE_IMAGE: scripts/make_base_image.sh's stand-in, or any Debian image). It reads
# deploy/nginx.conf at the same place as the official image (/etc/nginx/conf.d/default.conf):
#   podman build --format docker --build-arg BASE_IMAGE=localhost/nnplay-base:bookworm \
#       -t localhost/nnplay-nginx:bookworm -f deploy/nginx.Dockerfile deploy
#   NGINX_IMAGE=localhost/nnplay-nginx:bookworm podman-compose -f deploy/docker-compose.replicas.yml up -d
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

# Debian's nginx, the one tests/test_browser_nginx.py runs on the host (the suite's version, unpinned).
# Debian's own site listens on :80 as default_server and would shadow deploy/nginx.conf: it goes.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
    && mkdir -p /var/cache/nginx \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log

EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
