#!/bin/sh
# build.sh — assemble and link every test/isa/src/*.S into test/isa/build/<name>.elf.
# Usage: test/isa/build.sh [name...]   (from anywhere; names without .S, default: all)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cc=${RISCV_GCC:-riscv64-unknown-elf-gcc}
out="$here/build"
mkdir -p "$out"
# The extensions Lantern implements (F, D, Zba, Zbb, Zbc, Zbs, Zihintpause included), so
# that every program can name their instructions; whether they may run is each
# program's business (crt.S leaves mstatus.FS = Off). lp64: no FP calling convention.
flags="-march=rv64imafdc_zicsr_zifencei_zba_zbb_zbc_zbs_zihintpause -mabi=lp64 -mcmodel=medany -nostdlib -nostartfiles -static -g"
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
