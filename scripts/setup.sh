#!/usr/bin/env bash
# Installs what building and testing wasmrtc needs, and nothing that is already
# there: Debian packages (as root, via apt-get) and npm packages (npm ci).
# Usage: scripts/setup.sh [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config dpkg-dev git ca-certificates
  emscripten                       # 3.1.6: the WASM toolchain
  libmbedtls-dev libsrtp2-dev libusrsctp-dev libopus-dev libvpx-dev libopenh264-dev   # native build
  libgtest-dev                     # native unit tests
  clang libclang-rt-14-dev         # libFuzzer + sanitizers
  libboost-dev libssl-dev          # wasmrtc-gateway: Boost.Beast/Asio, TLS for wss://
  coturn                           # the real TURN server the tests relay through
  nodejs npm
)
[[ " $* " == *" --no-browser "* ]] || packages+=(chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  # node and npm may come from elsewhere (nodesource); only ask apt for them if absent.
  filtered=()
  for p in "${missing[@]}"; do
    case $p in
      nodejs) command -v node >/dev/null || filtered+=("$p") ;;
      npm) command -v npm >/dev/null || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.wasmrtc-lock-stamp
if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
