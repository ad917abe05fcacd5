// LiveRegisters through `lantern server`: a hart's registers read with the control API's
// `registers` request (over the language server's VmBridge), which neither stops the VM nor
// takes its GDB stub's one debugger slot. A VM that runs reads as 'running'.
import type { Answers, Request, Response } from '../vmm/protocol';
import type { LiveReading, LiveRegisters } from './live-registers';

/** Where requests go (the language server's VmBridge). */
export interface VmRequests {
  request(request: Request): Promise<Response>;
}

export class ServerRegisters implements LiveRegisters {
  /** Learned from the last answer (CSR fields are decoded at it). */
  private lastXlen: 32 | 64 | undefined;

  constructor(private readonly server: VmRequests, readonly vm: string, readonly hart: number) {}

  get xlen(): 32 | 64 | undefined {
    return this.lastXlen;
  }

  async read(name: string): Promise<LiveReading> {
    const answer = await this.server.request({ op: 'registers', name: this.vm, hart: this.hart, names: [name] });
    if (answer.ok) {
      const read = answer.value as Answers['registers'];
      this.lastXlen = read.xlen;
      const value = read.values[name];
      return value === undefined ? undefined : BigInt(value);
    }
    if (answer.code !== 'wrong-state') return undefined;
    // Refused for its state: running (then say so), or not live at all (created, stopped: no value).
    const inspected = await this.server.request({ op: 'inspect', name: this.vm });
    return inspected.ok && (inspected.value as Answers['inspect']).state === 'running' ? 'running' : undefined;
  }
}
