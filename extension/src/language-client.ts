// The assembly language server (`node dist/cli.js lsp --stdio`, the bundled CLI) as a
// vscode-languageclient client: hovers, definitions and the outline for riscv-asm documents,
// `lantern/vm`, the way to the VM server (which the language server starts or finds), and
// `lantern/selectVm`, the server VM whose registers hovers show.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SELECT_VM, VM_REQUEST, type SelectVmParams, type VmRequestParams, type VmRequestResult } from '../../server/src/lsp/protocol';
import type { Answers, Request } from '../../server/src/vmm/protocol';
import { ASSEMBLY_LANGUAGE } from './debug-type';

type Op = Request['op'];

/** The VM server refused a request (its one line), or could not be reached (why). */
export class VmRequestError extends Error {
  override readonly name = 'VmRequestError';
}

export class LanternLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly watchers: vscode.Disposable[] = [];
  /** The VM hovers read (lantern/selectVm), sent again to a server that starts later. */
  private selection: SelectVmParams = {};

  constructor(private readonly extensionUri: vscode.Uri) {
    // The server starts with the first assembly document (or the first VM request).
    const startFor = (document: vscode.TextDocument) => {
      if (document.languageId === ASSEMBLY_LANGUAGE) void this.start().catch(() => undefined);
    };
    vscode.workspace.textDocuments.forEach(startFor);
    this.watchers.push(vscode.workspace.onDidOpenTextDocument(startFor));
  }

  /** Starts the language server once; later calls share the start. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.create().then(async (client) => {
      await client.start();
      if (this.selection.name !== undefined) await client.sendNotification(SELECT_VM, this.selection);
      return client;
    }).catch((error: unknown) => {
      this.starting = undefined; // a later request tries again
      throw error;
    });
    return this.starting;
  }

  /** One control-API request through the language server; throws VmRequestError with the reason. */
  async vm<K extends Op>(request: Extract<Request, { op: K }>): Promise<Answers[K]> {
    let response: VmRequestResult;
    try {
      const client = await this.start();
      response = await client.sendRequest<VmRequestResult>(VM_REQUEST, { request } satisfies VmRequestParams);
    } catch (error) {
      throw new VmRequestError(error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) throw new VmRequestError(response.error);
    return response.value as Answers[K];
  }

  /** Hovers show the registers of VM `name`'s hart `hart` (none: no live values). */
  selectVm(selection: SelectVmParams): void {
    if (selection.name === this.selection.name && selection.hart === this.selection.hart) return;
    this.selection = selection;
    if (this.client?.isRunning()) void this.client.sendNotification(SELECT_VM, selection).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.watchers.forEach((watcher) => watcher.dispose());
    const client = this.client;
    this.client = undefined;
    // The VM server is detached from the language server: it and its VMs run on.
    if (client?.isRunning()) await client.stop().catch(() => undefined);
  }

  private async create(): Promise<LanguageClient> {
    const cli = vscode.Uri.joinPath(this.extensionUri, 'dist', 'cli.js').fsPath;
    // The extension host's runtime, as Node (see adapter.ts); the transport adds --stdio.
    const server: ServerOptions = {
      command: process.execPath,
      args: [cli, 'lsp'],
      transport: TransportKind.stdio,
      options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{s,S}');
    this.watchers.push(watcher);
    const options: LanguageClientOptions = {
      documentSelector: [{ language: ASSEMBLY_LANGUAGE }],
      synchronize: { fileEvents: watcher },
      outputChannelName: 'Lantern Language Server',
    };
    this.client = new LanguageClient('lantern', 'Lantern RISC-V assembly', server, options);
    return this.client;
  }
}
