#!/usr/bin/env bash
# Install the real clients tests/integration/test_real_clients.py drives,
# where they are missing: Debian's Go toolchain and gophercloud (apt, as
# root) and Ansible in a venv of its own (.venv-ansible). Ansible 12.x (the
# newest that installs on Python 3.11) bundles openstack.cloud 2.5, which
# reads openstack.version, removed in openstacksdk 4.15: hence its own venv
# with openstacksdk<4.15, apart from the test venv's newer SDK. Idempotent.
# The tests skip a missing client unless MINOVA_REQUIRE_BACKENDS=1.
set -u
cd "$(dirname "$0")/.."

UV=${UV:-.venv/bin/uv}
ANSIBLE_VENV=${MINOVA_ANSIBLE_VENV:-.venv-ansible}
GOPHERCLOUD=/usr/share/gocode/src/github.com/gophercloud/gophercloud
status=0

if ! command -v go >/dev/null 2>&1 || [ ! -d "$GOPHERCLOUD" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "clients: installing golang-go golang-github-gophercloud-gophercloud-dev"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install \
      -y -qq golang-go golang-github-gophercloud-gophercloud-dev >/dev/null \
      || status=1
  else
    echo "clients: go or gophercloud missing and cannot apt-get here" >&2
    status=1
  fi
fi

if [ ! -x "$ANSIBLE_VENV/bin/ansible-playbook" ]; then
  echo "clients: installing ansible<13 and openstacksdk<4.15 in $ANSIBLE_VENV"
  { [ -x "$ANSIBLE_VENV/bin/python" ] || "$UV" venv -q "$ANSIBLE_VENV"; } &&
    "$UV" pip install -q --python "$ANSIBLE_VENV/bin/python" \
      'ansible<13' 'openstacksdk<4.15' || status=1
fi
exit $status
