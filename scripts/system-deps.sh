#!/usr/bin/env bash
# Install the Debian packages greenmfg needs, when they are missing (see docs/decisions/0002).
#   run:  what `make run` needs (venv, WeasyPrint's libraries, a CJK font, gettext)
#   test: the above plus PostgreSQL, Chromium, poppler, LibreOffice and npm (axe-core) for the test suite
set -euo pipefail
profile=${1:-test}
run_pkgs=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext)
test_pkgs=(libatomic1 poppler-utils postgresql chromium libreoffice-calc-nogui)
# npm installs axe-core for the accessibility tests; a Node.js that ships its own npm (NodeSource)
# conflicts with Debian's npm package, so it is only asked for when there is no npm at all.
command -v npm >/dev/null || test_pkgs+=(npm)
pkgs=("${run_pkgs[@]}")
[ "$profile" = test ] && pkgs+=("${test_pkgs[@]}")

command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian system; install ${pkgs[*]} by hand" >&2; exit 0; }
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
