#!/usr/bin/env bash
# Installs Debian packages the tests need when their program is missing:
#   scripts/ensure-system-packages.sh redis-server chromium
# Each argument is both the program looked for on PATH and the Debian package that provides it.
set -euo pipefail
missing=()
for program in "$@"; do
	command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1; then
	sudo=(sudo)
else
	echo "Missing ${missing[*]}: install with 'apt-get install ${missing[*]}' as root, then run again." >&2
	exit 1
fi
echo "== installing ${missing[*]} (Debian packages)"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
