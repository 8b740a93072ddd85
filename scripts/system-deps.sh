#!/usr/bin/env bash
# Debian packages the test suite needs (headless Chromium for the web tests).
# Installs only what is missing; needs root (CI and the development machines are root).
set -euo pipefail
needed=()
for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
if [ ${#needed[@]} -gt 0 ]; then
    echo "installing Debian packages: ${needed[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi
