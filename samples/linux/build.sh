#!/usr/bin/env bash
# Builds the Linux guest of Lantern's Linux suite from Debian packages, into a cache
# directory ($LANTERN_LINUX_BUILD, default samples/linux/build/, git-ignored):
#   Image              Linux 6.1 from linux-source-6.1 and kernel.config (a trimmed defconfig)
#   vmlinux            its ELF, for gdb-multiarch
#   init               init.c, static, against Debian's riscv64 cross libc
#   nettool            nettool.c, likewise: the network test tool init runs given `lantern.net`
#   initramfs.cpio.gz  /init, /nettool and /dev/console
#   rootfs.ext2        the same as /sbin/init and /sbin/nettool, for root=/dev/vda
#   boot.ext2          Image and initramfs.cpio.gz, for U-Boot's `load virtio` + `booti`
# The kernel is rebuilt only when the configured .config or the source package change
# (a key in build/kernel.key); the rest is cheap and always redone.
# Needs: linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross gcc make bc flex
#        bison cpio xz-utils e2fsprogs (libssl-dev is not needed: no module signing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${LANTERN_LINUX_BUILD:-$here/build}"
tarball=/usr/src/linux-source-6.1.tar.xz
cross=riscv64-linux-gnu-
jobs="${JOBS:-$(nproc)}"
mkdir -p "$out"

[ -f "$tarball" ] || { echo "build.sh: $tarball missing (apt-get install linux-source-6.1)" >&2; exit 1; }
command -v ${cross}gcc >/dev/null || { echo "build.sh: ${cross}gcc missing (apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross)" >&2; exit 1; }

# ---- kernel -------------------------------------------------------------------------
# Configure every time (a few seconds), then build only if the resulting .config or the
# source package differs from what built the cached Image.
start=$(date +%s)
src="$out/linux-source-6.1"
obj="$out/obj"
stamp="$(stat -c '%s %Y' "$tarball")"
if [ ! -f "$src/Makefile" ] || [ "$(cat "$out/source.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "== kernel: unpacking $tarball"
  rm -rf "$src" "$obj"
  tar -xJf "$tarball" -C "$out"
  echo "$stamp" > "$out/source.stamp"
fi
mk() { make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE=$cross "$@"; }
# kernel.config as `scripts/config` arguments: NAME=y → --enable, n → --disable, else --set-val.
config_lines() { sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$here/kernel.config"; }
args=()
while IFS= read -r line; do
  name="${line%%=*}"; value="${line#*=}"
  case "$value" in
    y) args+=(--enable "$name") ;;
    n) args+=(--disable "$name") ;;
    *) args+=(--set-val "$name" "$value") ;;
  esac
done < <(config_lines)
mkdir -p "$obj"
mk -s defconfig >/dev/null
"$src/scripts/config" --file "$obj/.config" "${args[@]}"
mk -s olddefconfig >/dev/null
# Every option asked for must have held (olddefconfig drops what dependencies forbid).
while IFS= read -r line; do
  name="${line%%=*}"; value="${line#*=}"
  got="$("$src/scripts/config" --file "$obj/.config" --state "$name")"
  case "$value:$got" in
    y:y|n:n|n:undef) ;;
    *) echo "build.sh: warning: CONFIG_$name=$value asked, .config has $got" >&2 ;;
  esac
done < <(config_lines)
key="$( { echo "$stamp"; grep -v '^#' "$obj/.config"; } | sha256sum | cut -c1-16)"
if [ -f "$out/Image" ] && [ "$(cat "$out/kernel.key" 2>/dev/null)" = "$key" ]; then
  echo "== kernel: cached ($out/Image, key $key)"
else
  rm -f "$out/kernel.key"
  echo "== kernel: make -j$jobs Image (log: $out/kernel.log)"
  if ! mk -j"$jobs" Image > "$out/kernel.log" 2>&1; then
    tail -40 "$out/kernel.log" >&2; exit 1
  fi
  cp "$obj/arch/riscv/boot/Image" "$out/Image"
  cp "$obj/vmlinux" "$out/vmlinux"
  cp "$obj/.config" "$out/config"
  echo "$key" > "$out/kernel.key"
  echo "== kernel: built in $(( $(date +%s) - start )) s"
fi

# ---- init and the images made from it -------------------------------------------------
echo "== init, nettool, initramfs.cpio.gz, rootfs.ext2, boot.ext2"
${cross}gcc -static -O2 -Wall -Wextra -o "$out/init" "$here/init.c" -lm
${cross}gcc -static -O2 -Wall -Wextra -o "$out/nettool" "$here/nettool.c"

# gen_init_cpio (from the kernel tree) writes /dev/console without needing root.
[ -x "$out/gen_init_cpio" ] || gcc -O2 -o "$out/gen_init_cpio" "$src/usr/gen_init_cpio.c"
cat > "$out/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $out/init 0755 0 0
file /nettool $out/nettool 0755 0 0
LIST
"$out/gen_init_cpio" -t 0 "$out/initramfs.list" | gzip -n -9 > "$out/initramfs.cpio.gz"

root="$out/rootfs"
rm -rf "$root"; mkdir -p "$root/sbin" "$root/dev" "$root/proc" "$root/sys"
cp "$out/init" "$root/sbin/init"
cp "$out/nettool" "$root/sbin/nettool"
rm -f "$out/rootfs.ext2"
mke2fs -q -F -t ext2 -L lantern-root -E root_owner=0:0 -d "$root" "$out/rootfs.ext2" 8M >/dev/null

boot="$out/bootfs"
rm -rf "$boot"; mkdir -p "$boot"
cp "$out/Image" "$out/initramfs.cpio.gz" "$boot/"
size_k=$(( $(du -sk "$boot" | cut -f1) + 2048 ))
rm -f "$out/boot.ext2"
mke2fs -q -F -t ext2 -L lantern-boot -E root_owner=0:0 -d "$boot" "$out/boot.ext2" "${size_k}k" >/dev/null
echo "== done: $out"
