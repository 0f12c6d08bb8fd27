#!/bin/bash
# package.sh builds the installable Linux bundle of ECG Station:
#
#   dist/ecgstation-<version>-linux-<arch>.tar.xz
#     ecgstation/usr/local/bin/ecgstation              the app (default models embedded)
#     ecgstation/usr/local/lib/libonnxruntime.so.1     ONNX Runtime, found by walking up from bin/
#     ecgstation/usr/local/share/applications/org.ecgstation.ecgstation.desktop
#     ecgstation/usr/local/share/pixmaps/org.ecgstation.ecgstation.png
#     ecgstation/Makefile                              make user-install / sudo make install
#
# It runs `fyne package` (the Fyne CLI in bin/tools, see the Makefile's
# fyne-cli target) on a binary built here, then adds the ONNX Runtime library
# and its install lines. Nothing is downloaded: the library must already be
# in lib/ (make ort). Usage: app/package.sh [FYNE] [ORT_LIB] [OUT_DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fyne=${1:-$root/bin/tools/fyne}
ort=${2:-$root/lib/libonnxruntime.so.1}
out=${3:-$root/dist}
for f in "$fyne" "$ort" "$root/FyneApp.toml" "$root/assets/icon.png"; do
	[ -e "$f" ] || { echo "package: missing $f (make fyne-cli ort)" >&2; exit 1; }
done
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$root/FyneApp.toml")
arch=$(go env GOARCH)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fyne package reads FyneApp.toml and the icon from its source folder and
# insists that folder holds Go code, even when it is handed the binary.
mkdir -p "$work/src/assets"
cp "$root/FyneApp.toml" "$work/src/"
cp "$root/assets/icon.png" "$work/src/assets/"
printf '// Package main stands in for the sources: fyne package looks for Go code even when given --exe.\npackage main\n' >"$work/src/stub.go"
(cd "$root" && go build -ldflags "-s -w" -o "$work/src/ecgstation" ./app)
(cd "$work/src" && "$fyne" package --os linux --exe ecgstation --release)

mkdir -p "$work/stage"
tar -xJf "$work/src/"*.tar.xz -C "$work/stage"
bundle=$(find "$work/stage" -mindepth 1 -maxdepth 1 -type d | head -1)
if [ "$(basename "$bundle")" != ecgstation ]; then
	mv "$bundle" "$work/stage/ecgstation"
	bundle=$work/stage/ecgstation
fi
install -Dm0644 "$ort" "$bundle/usr/local/lib/libonnxruntime.so.1"

# The generated Makefile names the icon without its .png and knows nothing
# of the library: fix the one, add the other to every install target.
mk=$bundle/Makefile
sed -i \
	-e 's,pixmaps/$(Icon) ,pixmaps/$(Icon).png ,' \
	-e 's,pixmaps/$(Icon)$,pixmaps/$(Icon).png,' \
	-e 's,icons/$(Icon)$,icons/$(Icon).png,' \
	"$mk"
sed -i \
	-e '/^install:/a\	install -Dm00644 usr/local/lib/libonnxruntime.so.1 $(DESTDIR)$(PREFIX)/lib/libonnxruntime.so.1' \
	-e '/^uninstall:/a\	-rm $(DESTDIR)$(PREFIX)/lib/libonnxruntime.so.1' \
	-e '/^user-install:/a\	install -Dm00644 usr/local/lib/libonnxruntime.so.1 $(DESTDIR)$(HOME)/.local/lib/libonnxruntime.so.1' \
	-e '/^user-uninstall:/a\	-rm $(DESTDIR)$(HOME)/.local/lib/libonnxruntime.so.1' \
	"$mk"

mkdir -p "$out"
tarball=$out/ecgstation-$version-linux-$arch.tar.xz
tar -cJf "$tarball" -C "$work/stage" ecgstation
echo "$tarball"
