#!/bin/sh
# build.sh — assemble and link every test/isa/src/*.S into test/isa/build/<name>.elf.
# Usage: test/isa/build.sh [name...]   (from anywhere; names without .S, default: all)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cc=${RISCV_GCC:-riscv64-unknown-elf-gcc}
out="$here/build"
mkdir -p "$out"
flags="-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -nostdlib -nostartfiles -static -g"
flags="$flags -I $here/common -T $here/common/link.ld"
# ISA_DEBUG=1: a failing program also prints its last-trap record on the HTIF console
if [ "${ISA_DEBUG:-0}" != 0 ]; then flags="$flags -DISA_DEBUG"; fi
if [ $# -eq 0 ]; then
  set -- $(cd "$here/src" && ls *.S | sed 's/\.S$//')
fi
"$cc" $flags -c "$here/common/crt.S" -o "$out/crt.o"
for name in "$@"; do
  "$cc" $flags "$out/crt.o" "$here/src/$name.S" -o "$out/$name.elf"
done
