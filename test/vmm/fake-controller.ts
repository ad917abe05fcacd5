// A VmController that keeps VMs as records only (no workers, no guests): for the pure transport
// tests of the control API (fuzzing, authentication), where a real guest would only add time.
import type { Request, Response, VmController, VmInfo } from '../../server/src/vmm/protocol';

export class FakeController implements VmController {
  readonly vms = new Map<string, VmInfo>();
  /** Every request the server passed on (after validation). */
  readonly seen: Request[] = [];
  closed = false;

  async handle(request: Exclude<Request, { op: 'hello' }>): Promise<Response> {
    this.seen.push(request);
    // A manager with a bug: an exception, an answer JSON cannot carry.
    if ('name' in request && request.name === 'throws') throw new Error('kaboom\n    at somewhere (manager.ts:1:1)');
    if ('name' in request && request.name === 'bigint') return { ok: true, value: 1n };
    const vm = 'name' in request ? this.vms.get(request.name) : undefined;
    const missing = (name: string): Response => ({ ok: false, code: 'no-such-vm', error: `no VM named ${name}` });
    switch (request.op) {
      case 'list':
        return { ok: true, value: [...this.vms.values()] };
      case 'create': {
        if (vm) return { ok: false, code: 'exists', error: `${request.name} exists` };
        const info: VmInfo = { name: request.name, state: request.start ? 'running' : 'created', args: request.args, memory: 128 << 20, harts: 1 };
        this.vms.set(request.name, info);
        return { ok: true, value: info };
      }
      case 'delete':
        if (!vm) return missing(request.name);
        this.vms.delete(request.name);
        return { ok: true, value: null };
      case 'console-read':
        return vm ? { ok: true, value: { text: '', next: request.from } } : missing(request.name);
      case 'clone':
        return { ok: false, code: 'refused', error: 'no clones here' };
      case 'shutdown':
        return { ok: true, value: null };
      default:
        if (!vm) return missing(request.name);
        return { ok: true, value: vm };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
