#!/bin/sh
# build.sh — assemble and link every test/isa/rv32/src/*.S twice, as 32-bit ELFs
# (RV32IMAFDC + Zicsr, Zifencei, Zba, Zbb, Zbc, Zbs):
#   test/isa/rv32/build/<name>.elf         accepts QEMU 7.2's known deviations from the
#                                          specifications too (see EXPECT_SPEC in
#                                          test/isa/common/test.h)
#   test/isa/rv32/build/strict/<name>.elf  accepts only what the specifications say
# Debian's riscv64-unknown-elf-gcc targets RV32 through -march / -mabi; nothing from
# libgcc or a multilib is linked (-nostdlib), so no RV32 runtime library is needed.
# The harness (test.h, crt.S, vm.h, link.ld) is shared with RV64, in test/isa/common;
# it picks the RV32 side through __riscv_xlen, which gcc sets from -march.
# Usage: test/isa/rv32/build.sh [name...]   (from anywhere; names without .S, default: all)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
common=$(cd "$here/../common" && pwd)
cc=${RISCV_GCC:-riscv64-unknown-elf-gcc}
out="$here/build"
mkdir -p "$out/strict"
# One ABI for every program (the soft-float calling convention: nothing here calls
# across files with FP arguments, and mixing float ABIs would not link).
flags="-march=rv32imafdc_zicsr_zifencei_zba_zbb_zbc_zbs -mabi=ilp32 -mcmodel=medany"
flags="$flags -nostdlib -nostartfiles -static -g"
flags="$flags -I $common -T $common/link.ld"
# ISA_DEBUG=1: a failing program also prints its last-trap record on the HTIF console
if [ "${ISA_DEBUG:-0}" != 0 ]; then flags="$flags -DISA_DEBUG"; fi
if [ $# -eq 0 ]; then
  set -- $(cd "$here/src" && ls *.S | sed 's/\.S$//')
fi
"$cc" $flags -c "$common/crt.S" -o "$out/crt.o"
for name in "$@"; do
  "$cc" $flags "$out/crt.o" "$here/src/$name.S" -o "$out/$name.elf"
  "$cc" $flags -DISA_STRICT "$out/crt.o" "$here/src/$name.S" -o "$out/strict/$name.elf"
done
