// The language server's own requests beyond LSP (method names and shapes), for the VS Code extension and the VM server to share.

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
