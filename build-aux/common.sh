# Shared by build-aux/run and build-aux/test: install what Attest needs on Debian 12, then
# configure and build in _build. Sourced, not run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=$(grep -v '^#' build-aux/debian-packages.txt | tr '\n' ' ')
# dpkg-query is quick; only call apt-get when something is missing.
missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $packages 2>/dev/null | awk '$1 != "ii" {print $2}' || true)
installed=$(dpkg-query -W -f='${Package}\n' $packages 2>/dev/null | wc -l || true)
if [ -n "$missing" ] || [ "$installed" -lt "$(echo $packages | wc -w)" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages
fi

# The UI tests and screenshots run Attest in English and in Chinese.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf8$'; then
  as_root sh -c "sed -i -e 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' -e 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen && locale-gen >/dev/null"
fi

if [ -f _build/build.ninja ]; then
  meson setup --reconfigure _build >/dev/null
else
  meson setup _build
fi
meson compile -C _build
