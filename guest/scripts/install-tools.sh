#!/bin/bash
# Installs the Debian packages the guest build and its smoke test use, only
# those missing, with at most one 'apt-get update'. Silent when all are there.
#
# usage: install-tools.sh PACKAGE...
set -euo pipefail

missing=()
for package in "$@"; do
    # dpkg -s succeeds for removed-but-configured packages too: check the state.
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [[ $status == installed ]] || missing+=("$package")
done
[[ ${#missing[@]} -gt 0 ]] || exit 0

if [[ $(id -u) != 0 ]]; then
    echo "guest: missing packages ${missing[*]}: install them as root (apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "guest: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi
