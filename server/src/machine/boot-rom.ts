// The boot ROM at the reset vector: a six-instruction trampoline (as QEMU's virt and Spike
// use) that passes hartid, FDT and fw_dynamic_info in a0..a2 and jumps to the first stage.
import type { MmioDevice, MmioValue, MmioWriteResult } from './bus';

export interface BootRomParams {
  /** Where the trampoline jumps: DRAM base with -bios none on virt, the ELF entry on Spike. */
  readonly start: bigint;
  /** Physical address of the flattened device tree, 0 when there is none. */
  readonly fdt: bigint;
  /** fw_dynamic_info.next_addr: the kernel's entry, for firmware that reads it (OpenSBI). */
  readonly nextAddr: bigint;
  /** The harts' XLEN: RV32 loads the data words with lw and gets a 32-bit fw_dynamic_info
   * (QEMU 7.2 riscv_setup_rom_reset_vec, riscv_rom_copy_firmware_info). 64 when absent. */
  readonly xlen?: 32 | 64;
}

// Registers by ABI name (RISC-V psABI).
const T0 = 5;
const A0 = 10;
const A1 = 11;
const A2 = 12;
const CSR_MHARTID = 0xf14;

// Base encodings (unprivileged spec, chapter 2 and "RV32/64G instruction listings").
const iType = (opcode: number, funct3: number, rd: number, rs1: number, imm: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
const auipc = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0;
const addi = (rd: number, rs1: number, imm: number) => iType(0x13, 0, rd, rs1, imm);
const ld = (rd: number, rs1: number, imm: number) => iType(0x03, 3, rd, rs1, imm);
const lw = (rd: number, rs1: number, imm: number) => iType(0x03, 2, rd, rs1, imm);
const jalr = (rd: number, rs1: number, imm: number) => iType(0x67, 0, rd, rs1, imm);
const csrrs = (rd: number, csr: number, rs1: number) => iType(0x73, 2, rd, rs1, csr);

// Layout of the ROM image: code, then the two data words it loads, then fw_dynamic_info.
const START_WORD = 24;
const FDT_WORD = 32;
const FW_DYNAMIC_INFO = 40;

// OpenSBI include/sbi/fw_dynamic.h: magic "OSBI", version 2, next_mode S = 1.
const FW_DYNAMIC_INFO_MAGIC = 0x4942534fn;
const FW_DYNAMIC_INFO_VERSION = 2n;
const FW_DYNAMIC_INFO_NEXT_MODE_S = 1n;

/** Assembles the reset trampoline and its data into a ROM image. */
export function bootRomImage(params: BootRomParams): Uint8Array {
  const rv32 = params.xlen === 32;
  const load = rv32 ? lw : ld; // the low word of each little-endian dword on RV32
  const code = [
    auipc(T0, 0), // t0 = this ROM's base
    addi(A2, T0, FW_DYNAMIC_INFO), // a2 = &fw_dynamic_info
    csrrs(A0, CSR_MHARTID, 0), // a0 = mhartid
    load(A1, T0, FDT_WORD), // a1 = FDT address
    load(T0, T0, START_WORD), // t0 = start address
    jalr(0, T0, 0), // jr t0
  ];
  const words = [params.start, params.fdt];
  const info = [
    FW_DYNAMIC_INFO_MAGIC,
    FW_DYNAMIC_INFO_VERSION,
    params.nextAddr,
    FW_DYNAMIC_INFO_NEXT_MODE_S,
    0n, // options
    0n, // boot_hart: 0 (OpenSBI takes any hart when it is -1; QEMU passes 0)
  ];
  // fw_dynamic_info's fields are `unsigned long`: 4 bytes each on RV32.
  const infoField = rv32 ? 4 : 8;
  const image = new Uint8Array(FW_DYNAMIC_INFO + info.length * infoField);
  const view = new DataView(image.buffer);
  code.forEach((insn, i) => view.setUint32(i * 4, insn, true));
  words.forEach((word, i) => view.setBigUint64(START_WORD + i * 8, BigInt.asUintN(64, word), true));
  info.forEach((field, i) => {
    if (rv32) view.setUint32(FW_DYNAMIC_INFO + i * 4, Number(BigInt.asUintN(32, field)), true);
    else view.setBigUint64(FW_DYNAMIC_INFO + i * 8, BigInt.asUintN(64, field), true);
  });
  return image;
}

/** Read-only memory served over the bus (the core fetches from it like any MMIO). */
export class Rom implements MmioDevice {
  constructor(
    private readonly contents: Uint8Array,
    private readonly size: number,
  ) {
    if (contents.length > size) throw new RangeError(`ROM image of ${contents.length} bytes exceeds ${size}`);
  }

  read(offset: number, size: number): MmioValue | undefined {
    return this.peek(offset, size);
  }

  peek(offset: number, size: number): MmioValue | undefined {
    if (offset + size > this.size) return undefined;
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.contents[offset + i] ?? 0);
    return size === 8 ? value : Number(value);
  }

  /** Writes to ROM are ignored, as QEMU's memory_region_init_rom. */
  write(offset: number, size: number, _value: bigint): MmioWriteResult {
    return offset + size <= this.size ? 'ok' : 'fault';
  }
}
