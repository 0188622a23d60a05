#!/usr/bin/env bash
# Installs Debian packages the tests need when their program is missing:
#   scripts/ensure-system-packages.sh redis-server chromium 'postgresql=/usr/lib/postgresql/*/bin/initdb'
# An argument is a Debian package whose program of the same name is looked for on PATH, or package=program,
# where program is a command name or a path pattern.
set -euo pipefail
present() {
	if [[ "$1" == */* ]]; then compgen -G "$1" >/dev/null; else command -v "$1" >/dev/null 2>&1; fi
}
missing=()
for argument in "$@"; do
	package="${argument%%=*}"
	program="${argument#*=}"
	present "$program" || missing+=("$package")
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
