#!/usr/bin/env bash
# Make sure the servers minova's integration tests use are installed and
# running on loopback: RabbitMQ (5672), MariaDB (3306), PostgreSQL (5432).
# Idempotent; installs Debian packages only when a server is missing and we
# are root. Tests skip a backend that is not reachable unless
# MINOVA_REQUIRE_BACKENDS=1 (CI sets it), so a developer without them can
# still run the rest.
set -u

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_up() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    up "$port" && return 0
    sleep 1
  done
  echo "backends: $name did not come up on 127.0.0.1:$port" >&2
  return 1
}

install_if_missing() {
  local binary=$1 package=$2
  command -v "$binary" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "backends: installing $package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq "$package" >/dev/null
  else
    echo "backends: $binary missing and cannot install $package here" >&2
  fi
}

install_if_missing rabbitmq-server rabbitmq-server
install_if_missing mariadbd mariadb-server
install_if_missing pg_ctlcluster postgresql

status=0
if ! up 5672 && command -v rabbitmq-server >/dev/null 2>&1; then
  rabbitmq-server -detached
fi
if ! up 3306 && command -v mariadbd >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec "$(command -v mariadbd)"
fi
if ! up 5432 && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
wait_up 5672 RabbitMQ || status=1
wait_up 3306 MariaDB || status=1
wait_up 5432 PostgreSQL || status=1
exit $status
