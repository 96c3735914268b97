#!/bin/sh
# Every translatable string in po/POTFILES.in has a zh_CN translation: extract the strings the
# way the build does (gettext's glib preset: _, N_, C_, NC_, g_dngettext) and compare them with
# po/zh_CN.po; then msgfmt --check (format strings agree) and no fuzzy or untranslated entry.
set -eu
src="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
grep -v '^#' po/POTFILES.in | grep -v '^$' > "$tmp/files"
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --files-from="$tmp/files" --output="$tmp/attest.pot"
# msgcmp fails when a string of the program has no entry in the translation
msgcmp po/zh_CN.po "$tmp/attest.pot"
stats=$(msgfmt --check --statistics -o /dev/null po/zh_CN.po 2>&1)
echo "zh_CN: $stats"
case "$stats" in
  *untranslated*|*fuzzy*) echo "zh_CN is incomplete"; exit 1 ;;
esac
# every source file with _() is listed in POTFILES.in, so nothing escapes the check
missing=$(grep -l -E '\b(N?C?_|g_dngettext) ?\(' src/gui/*.c src/core/*/*.c src/cli/*.c | while read -r f; do grep -qx "$f" "$tmp/files" || echo "$f"; done)
if [ -n "$missing" ]; then
  echo "not in po/POTFILES.in: $missing"
  exit 1
fi
