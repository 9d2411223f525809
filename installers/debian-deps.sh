#!/usr/bin/env bash
# Installs what building and testing VK Studio needs on Debian 12, and nothing when it is all there already.
# Run as root (or with sudo available). Safe to run repeatedly.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config ccache file dpkg-dev openssl
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-websockets-dev qt6-svg-dev
    libyaml-cpp-dev libhttp-parser-dev zlib1g-dev libssl-dev libgl-dev libmimalloc-dev
    xvfb xauth
)

# The fuzz preset (installers/debian-deps.sh --fuzz) needs clang and libFuzzer's runtime.
if [ "${1:-}" = "--fuzz" ]; then
    packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The integration tests drive the real kubectl; Debian's kubernetes-client provides one when none is on PATH.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
