// Where hovers get register values of a stopped VM: the LiveRegisters interface the language server takes, and its implementation over a VM's GDB stub (`p` packets); server-registers.ts has the one through `lantern server`.
import { hexToRegister } from '../../../gdbstub/hex';
import { REG_PC } from '../debug/target';
import { gdbRegisterNumber } from './registers';
import { expandRunLength, RspClient } from './rsp-client';

/** One read: the value; 'running' when the VM runs (values are read only while it is paused);
 * undefined for a name that is no register, one the hart lacks, or when the VM cannot answer now. */
export type LiveReading = bigint | 'running' | undefined;

/** Register values of a stopped VM, by name (x5, a0, sp, pc, ft0, mstatus, ...). */
export interface LiveRegisters {
  read(name: string): Promise<LiveReading>;
  /** The hart's XLEN when known (CSR fields are decoded at it; 64 otherwise). */
  readonly xlen?: 32 | 64;
}

/**
 * LiveRegisters over a GDB stub (Lantern's, or any RISC-V one with gdb's register numbers).
 * Attaching stops a running VM, as any debugger attaching does, and holds the stub's one
 * debugger slot until detach(); detaching lets the VM run on (the stub's detach semantics).
 */
export class GdbStubRegisters implements LiveRegisters {
  private constructor(private readonly client: RspClient, readonly xlen: 32 | 64, readonly port: number) {}

  /** Connects to the stub on `host:port` and learns the XLEN from the size of pc. */
  static async attach(port: number, host = '127.0.0.1'): Promise<GdbStubRegisters> {
    const client = await RspClient.connect(port, host);
    try {
      // The stop reply: the stub answers once the machine is stopped (it stops it for us).
      await client.request('?', 10_000);
      const pc = expandRunLength(await client.request(`p${REG_PC.toString(16)}`));
      if (!/^[0-9a-fA-F]+$/.test(pc) || (pc.length !== 8 && pc.length !== 16)) throw new Error(`unexpected reply to reading pc: ${pc.slice(0, 40)}`);
      return new GdbStubRegisters(client, pc.length === 8 ? 32 : 64, port);
    } catch (error) {
      client.close();
      throw error;
    }
  }

  get attached(): boolean {
    return !this.client.isClosed;
  }

  onDetached(listener: () => void): void {
    this.client.onClose(listener);
  }

  async read(name: string): Promise<bigint | undefined> {
    const number = gdbRegisterNumber(name);
    if (number === undefined || this.client.isClosed) return undefined;
    let reply: string;
    try {
      reply = expandRunLength(await this.client.request(`p${number.toString(16)}`));
    } catch {
      return undefined;
    }
    // `E nn`: no such register; `xx...`: unreadable now.
    if (reply === '' || /^E/.test(reply) || /x/i.test(reply)) return undefined;
    return hexToRegister(reply, reply.length / 2);
  }

  /** Sends `D` and closes: the VM runs on. */
  async detach(): Promise<void> {
    if (this.client.isClosed) return;
    try {
      await this.client.request('D', 2000);
    } catch {
      // Closing below detaches as well.
    }
    this.client.close();
  }
}
