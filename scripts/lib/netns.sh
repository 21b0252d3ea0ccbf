#!/usr/bin/env bash
# Runs a command in a new network namespace of its own (the network rule for
# tests: nothing leaves the machine). Inside: lo, and a veth pair tst0/tst1
# (10.77.0.1, 10.77.0.2) for peers that need a non-loopback interface
# (libdatachannel gathers nothing on loopback alone). Needs root; without it
# the command runs in the current namespace, with a warning.
set -euo pipefail
if [[ $(id -u) != 0 ]] || ! unshare -n -m true 2>/dev/null; then
  echo "netns: cannot create a network namespace here; running without one" >&2
  exec "$@"
fi
exec unshare -n -m bash -c '
  set -e
  ip link set lo up
  # DNS answers at once (connection refused on loopback) instead of timing
  # out: names in tests come from /etc/hosts or must fail fast. The mount is
  # private to this namespace (unshare -m).
  resolv=$(mktemp)
  echo "nameserver 127.0.0.1" > "$resolv"
  mount --bind "$resolv" /etc/resolv.conf
  ip link add tst0 type veth peer name tst1
  ip addr add 10.77.0.1/24 dev tst0
  ip addr add 10.77.0.2/24 dev tst1
  ip link set tst0 up
  ip link set tst1 up
  # A default route that stays inside: Chromium gathers host candidates only
  # on the interface of the default route (its IP handling policy).
  ip route add default via 10.77.0.2 dev tst0
  # 10.77.0.2 plays a separate host (a TURN relay address in browser tests):
  # a socket bound to 0.0.0.0 (as Chromium binds) sending to it must use
  # 10.77.0.1, its advertised host address, not 10.77.0.2 itself.
  ip route replace local 10.77.0.2 dev tst1 table local proto kernel scope host src 10.77.0.1
  exec "$@"
' netns "$@"
