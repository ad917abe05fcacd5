// Registers ("Packets" g, G, p, P). `g`/`G` carry x0..x31 and pc only, as QEMU's do; gdb then
// reads the other registers of the description one by one with `p`, by their regnum. Values
// are little-endian images of bits/8 bytes; `xx` marks a register that cannot be read now.
import { REG_PC, type DebugTarget, type RegisterInfo } from '../../server/src/debug/target';
import { Errors, reply, selectedHart, type PacketHandler } from '../handler';
import { hexToRegister, parseHexSmall, registerToHex } from '../hex';

const registerTables = new WeakMap<DebugTarget, { byNumber: Map<number, RegisterInfo>; gPacket: RegisterInfo[] }>();

function registerTable(target: DebugTarget) {
  let table = registerTables.get(target);
  if (!table) {
    const byNumber = new Map(target.registers.map((register) => [register.number, register]));
    const gPacket = target.registers.filter((register) => register.number <= REG_PC).sort((a, b) => a.number - b.number);
    table = { byNumber, gPacket };
    registerTables.set(target, table);
  }
  return table;
}

const byteSize = (register: RegisterInfo) => Math.ceil(register.bits / 8);

function readImage(target: DebugTarget, hart: number, register: RegisterInfo): string {
  const value = target.readRegister(hart, register.number);
  return value === undefined ? 'xx'.repeat(byteSize(register)) : registerToHex(value, byteSize(register));
}

export const registerHandlers: readonly PacketHandler[] = [
  {
    name: 'g',
    handle: ({ target, state }, args) => {
      if (args !== '') return reply(Errors.invalid);
      const hart = selectedHart(state, state.general);
      return reply(registerTable(target).gPacket.map((register) => readImage(target, hart, register)).join(''));
    },
  },
  {
    // A whole g image; registers whose value does not change are not written (x0 among them),
    // nor those sent as `xx`.
    name: 'G',
    handle: ({ target, state }, args) => {
      const hart = selectedHart(state, state.general);
      const registers = registerTable(target).gPacket;
      const size = registers.reduce((sum, register) => sum + byteSize(register) * 2, 0);
      if (args.length !== size) return reply(Errors.invalid);
      const values: (bigint | undefined)[] = [];
      let at = 0;
      for (const register of registers) {
        const image = args.substr(at, byteSize(register) * 2);
        at += image.length;
        if (/^x+$/i.test(image)) {
          values.push(undefined);
          continue;
        }
        const value = hexToRegister(image, byteSize(register));
        if (value === undefined) return reply(Errors.invalid);
        values.push(value);
      }
      let ok = true;
      registers.forEach((register, i) => {
        const value = values[i];
        if (value === undefined || value === target.readRegister(hart, register.number)) return;
        if (!target.writeRegister(hart, register.number, value)) ok = false;
      });
      return reply(ok ? 'OK' : Errors.invalid);
    },
  },
  {
    // `p n`: any register of the description; an unknown number is an error (E14, as QEMU's).
    name: 'p',
    handle: ({ target, state }, args) => {
      const number = parseHexSmall(args);
      const register = number === undefined ? undefined : registerTable(target).byNumber.get(number);
      if (!register) return reply(number === undefined ? Errors.invalid : Errors.badAddress);
      return reply(readImage(target, selectedHart(state, state.general), register));
    },
  },
  {
    name: 'P',
    handle: ({ target, state }, args) => {
      const [numberText, image, extra] = args.split('=');
      const number = parseHexSmall(numberText);
      if (number === undefined || image === undefined || extra !== undefined) return reply(Errors.invalid);
      const register = registerTable(target).byNumber.get(number);
      if (!register) return reply(Errors.badAddress);
      const value = hexToRegister(image, byteSize(register));
      if (value === undefined) return reply(Errors.invalid);
      return reply(target.writeRegister(selectedHart(state, state.general), number, value) ? 'OK' : Errors.invalid);
    },
  },
];
