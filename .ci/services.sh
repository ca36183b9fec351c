#!/usr/bin/env bash
# Starts the real parts the tests use, if they are not running yet: a Docker engine
# (no iptables or bridge: nothing here can create them) and a Docker registry on
# 127.0.0.1:5000. Safe to run twice. Needs root and Debian's docker.io and docker-registry.
set -euo pipefail
state=${SERVICES_STATE:-/tmp/preview-kit-services}
mkdir -p "$state"

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: $state/dockerd.log)"
  nohup dockerd --iptables=false --ip6tables=false --bridge=none >"$state/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -n 30 "$state/dockerd.log"; echo "dockerd did not start" >&2; exit 1; }
fi

if ! curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then
  echo "starting docker-registry on 127.0.0.1:5000 (log: $state/registry.log)"
  cat >"$state/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $state/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YAML
  nohup docker-registry serve "$state/registry.yml" >"$state/registry.log" 2>&1 &
  for _ in $(seq 1 30); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 1; done
  curl -fsS http://127.0.0.1:5000/v2/ >/dev/null || { tail -n 30 "$state/registry.log"; echo "registry did not start" >&2; exit 1; }
fi
echo "docker $(docker version --format '{{.Server.Version}}') and registry 127.0.0.1:5000 are up"
