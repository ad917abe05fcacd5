// The language server's own requests beyond LSP (method names and shapes), for the VS Code extension and the VM server to share.
import type { Request, Response } from '../vmm/protocol';

/**
 * `lantern/attachVm`: read live register values for hovers from the GDB stub of a VM on
 * `host:port` (127.0.0.1 by default). The stub stops the VM and keeps its one debugger slot
 * until `lantern/detachVm` (or another attach, or shutdown), which lets the VM run on.
 */
export const ATTACH_VM = 'lantern/attachVm';
export interface AttachVmParams {
  readonly port: number;
  readonly host?: string;
}
export interface AttachVmResult {
  /** The VM's XLEN, learned from its pc. */
  readonly xlen: 32 | 64;
}

/** `lantern/detachVm`: stop reading live values (no parameters; answers null). */
export const DETACH_VM = 'lantern/detachVm';

/**
 * `lantern/selectVm` (a notification): hovers read live values of VM `name` of `lantern server`,
 * hart `hart` (0 by default), with the control API's `registers` request: while it is paused they
 * show its values, while it runs they say so. No name: no live values. Replaces an attachVm.
 */
export const SELECT_VM = 'lantern/selectVm';
export interface SelectVmParams {
  readonly name?: string;
  readonly hart?: number;
}

/**
 * `lantern/vm`: one request of the VM server's control API (server/src/vmm/protocol.ts),
 * forwarded to `lantern server` at its socket (LANTERN_SERVER, else the runtime directory's),
 * which the language server starts when none answers. Answers the server's Response (a refusal
 * is `ok: false` with its one line); an LSP error (code VM_SERVER_UNREACHABLE) when no server
 * can be reached or started, its message saying why.
 */
export const VM_REQUEST = 'lantern/vm';
export interface VmRequestParams {
  readonly request: Request;
}
export type VmRequestResult = Response;
/** The LSP error code of `lantern/vm` when there is no VM server to forward to (in the server-defined range). */
export const VM_SERVER_UNREACHABLE = -32001;
