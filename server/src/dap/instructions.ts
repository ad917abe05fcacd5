// Instructions at a stopped hart for the DAP bridge: a disassembly listing with symbols, and
// whether the instruction at the pc is a call (for stepping over it).
import type { DebugProtocol } from '@vscode/debugprotocol';
import { disassemble } from '../debug/disassemble';
import { REG_PC, type DebugTarget } from '../debug/target';
import type { SymbolTable } from '../machine/elf';

/** One instruction's bytes at `addr`: its length (2 or 4) and encoding, or undefined where unreadable. */
function fetch(target: DebugTarget, hart: number, addr: bigint): { length: 2 | 4; insn: number } | undefined {
  const bytes = target.readMemory(hart, addr, 4, target.addressSpace);
  if (bytes.length < 2) return undefined;
  const low = bytes[0] | (bytes[1] << 8);
  if ((low & 3) !== 3) return { length: 2, insn: low };
  if (bytes.length < 4) return undefined;
  return { length: 4, insn: new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) };
}

/**
 * `count` instructions from `start`, skipping `skip` first. Instructions are 2 or 4 bytes, so a
 * listing that begins before a known address (a negative instructionOffset) assumes 4-byte
 * ones going back, then decodes forward from there.
 */
export function disassembleAt(target: DebugTarget, hart: number, symbols: SymbolTable | undefined, args: DebugProtocol.DisassembleArguments, base: bigint): DebugProtocol.DisassembledInstruction[] {
  const before = Math.min(0, args.instructionOffset ?? 0);
  let addr = BigInt.asUintN(target.xlen, base + BigInt(args.offset ?? 0) + BigInt(before * 4));
  let skip = Math.max(0, args.instructionOffset ?? 0);
  const instructions: DebugProtocol.DisassembledInstruction[] = [];
  while (instructions.length < args.instructionCount) {
    const found = fetch(target, hart, addr);
    const length = found?.length ?? 2;
    if (skip > 0) {
      skip--;
    } else {
      const where = symbols?.at(addr);
      instructions.push({
        address: `0x${addr.toString(16)}`,
        instructionBytes: found ? found.insn.toString(16).padStart(length * 2, '0') : '',
        instruction: found ? disassemble(found.insn, addr, target.xlen) : '<unreadable>',
        ...(where && where.offset === 0n ? { symbol: where.symbol.name } : {}),
        ...(found ? {} : { presentationHint: 'invalid' as const }),
      });
    }
    addr = BigInt.asUintN(target.xlen, addr + BigInt(length));
  }
  return instructions;
}

/** The return address of a call at `hart`'s pc (jal/jalr linking ra, c.jalr, RV32's c.jal), else undefined. */
export function callReturnAddress(target: DebugTarget, hart: number): bigint | undefined {
  const pc = target.readRegister(hart, REG_PC)!;
  const found = fetch(target, hart, pc);
  if (!found) return undefined;
  const { insn } = found;
  if (found.length === 2) {
    // c.jalr (1001 rs1 00000 10, rs1 != 0); c.jal is RV32 only (001 ... 01).
    const isJalr = (insn & 0xf07f) === 0x9002 && ((insn >> 7) & 31) !== 0;
    const isJal = target.xlen === 32 && (insn & 0xe003) === 0x2001;
    return isJalr || isJal ? pc + 2n : undefined;
  }
  const opcode = insn & 0x7f;
  const rd = (insn >> 7) & 31;
  return (opcode === 0x6f || opcode === 0x67) && rd === 1 ? pc + 4n : undefined;
}
