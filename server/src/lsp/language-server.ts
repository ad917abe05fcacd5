// The RISC-V assembly language server on an LSP connection: documents in, hover/definition/outline out, lantern/vm to the VM server, and lantern/selectVm (a server VM) or lantern/attachVm (a GDB stub) that give hovers live register values.
import {
  ErrorCodes, FileChangeType, ResponseError, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VM_NAME } from '../vmm/protocol';
import { definitionAt, hoverAt, outline } from './assembly-features';
import { GdbStubRegisters, type LiveRegisters } from './live-registers';
import {
  ATTACH_VM, DETACH_VM, SELECT_VM, VM_REQUEST, VM_SERVER_UNREACHABLE,
  type AttachVmParams, type AttachVmResult, type SelectVmParams, type VmRequestParams, type VmRequestResult,
} from './protocol';
import { ServerRegisters } from './server-registers';
import { SymbolIndex, type WorkspaceFiles } from './symbol-index';
import type { VmBridge } from './vm-bridge';

export interface AssemblyServerOptions {
  /** Reads the workspace folders' assembly files; without it only open documents are known. */
  readonly files?: WorkspaceFiles;
  /** Server name and version for the initialize result. */
  readonly version?: string;
  /** Where `lantern/vm` requests go; without it they are refused. */
  readonly vms?: VmBridge;
}

/** Serves one client on `connection` (already created, not yet listening); call listen() to start. */
export class AssemblyLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly index: SymbolIndex;
  private live: LiveRegisters | undefined;
  /** The provider this server attached itself (lantern/attachVm), which it must detach. */
  private ownStub: GdbStubRegisters | undefined;
  private folders: string[] = [];

  constructor(private readonly connection: Connection, private readonly options: AssemblyServerOptions = {}) {
    this.index = new SymbolIndex(options.files);
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.index.scan(this.folders));
    connection.onHover(async ({ textDocument, position }) => {
      const file = this.file(textDocument.uri);
      return file ? hoverAt(this.index, file, position, this.live) : null;
    });
    connection.onDefinition(async ({ textDocument, position }) => {
      const file = this.file(textDocument.uri);
      return file ? definitionAt(this.index, file, position) : [];
    });
    connection.onDocumentSymbol(({ textDocument }) => {
      const file = this.file(textDocument.uri);
      return file ? outline(file) : [];
    });
    connection.onDidChangeWatchedFiles(({ changes }) => {
      for (const change of changes) {
        if (!/\.[sS]$/.test(change.uri)) continue;
        if (change.type === FileChangeType.Deleted) this.index.forget(change.uri);
        else void this.index.refresh(change.uri);
      }
    });
    connection.onRequest(ATTACH_VM, (params: AttachVmParams) => this.attach(params));
    connection.onRequest(DETACH_VM, async () => {
      await this.detach();
      return null;
    });
    connection.onNotification(SELECT_VM, (params: SelectVmParams) => this.selectVm(params));
    connection.onRequest(VM_REQUEST, (params: VmRequestParams) => this.forwardToVmServer(params));
    connection.onShutdown(async () => {
      await this.detach();
      await this.options.vms?.close();
    });
    this.documents.onDidChangeContent(({ document }) => this.index.setOpen(document.uri, document.version, document.getText()));
    this.documents.onDidClose(({ document }) => this.index.close(document.uri));
    this.documents.listen(connection);
  }

  listen(): void {
    this.connection.listen();
  }

  /** Gives hovers live values from `provider` (undefined: none). A stub this server attached itself is detached first. */
  async setLiveRegisters(provider: LiveRegisters | undefined): Promise<void> {
    if (this.ownStub && this.ownStub !== provider) {
      const own = this.ownStub;
      this.ownStub = undefined;
      await own.detach();
    }
    this.live = provider;
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'lantern', ...(this.options.version ? { version: this.options.version } : {}) },
    };
  }

  /** The document as the editor has it, else the workspace's copy on disk. */
  private file(uri: string) {
    return this.index.get(uri);
  }

  private async attach(params: AttachVmParams): Promise<AttachVmResult> {
    const port = params?.port;
    const host = params?.host ?? '127.0.0.1';
    if (!Number.isInteger(port) || port < 1 || port > 65535 || typeof host !== 'string') {
      throw new ResponseError(ErrorCodes.InvalidParams, `${ATTACH_VM}: expected { port: 1-65535, host?: string }`);
    }
    // A stub serves one debugger: let go of the one held now first (re-attaching to the same VM must work).
    await this.setLiveRegisters(undefined);
    let stub: GdbStubRegisters;
    try {
      stub = await GdbStubRegisters.attach(port, host);
    } catch (error) {
      throw new ResponseError(ErrorCodes.InternalError, `cannot attach to the gdb stub on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.setLiveRegisters(stub);
    this.ownStub = stub;
    stub.onDetached(() => {
      if (this.live === stub) this.live = undefined;
      if (this.ownStub === stub) this.ownStub = undefined;
    });
    return { xlen: stub.xlen };
  }

  /** lantern/selectVm: a notification, so a malformed one is only logged (and selects nothing). */
  private async selectVm(params: SelectVmParams | undefined): Promise<void> {
    const name = params?.name;
    const hart = params?.hart ?? 0;
    if (name === undefined || name === null) {
      await this.setLiveRegisters(undefined);
      return;
    }
    if (typeof name !== 'string' || !VM_NAME.test(name) || !Number.isSafeInteger(hart) || hart < 0) {
      this.connection.console.warn(`${SELECT_VM}: expected { name?: VM name, hart?: number }; no VM selected`);
      await this.setLiveRegisters(undefined);
      return;
    }
    await this.setLiveRegisters(this.options.vms ? new ServerRegisters(this.options.vms, name, hart) : undefined);
  }

  private async forwardToVmServer(params: VmRequestParams): Promise<VmRequestResult> {
    const request = params?.request;
    if (typeof request !== 'object' || request === null || typeof (request as { op?: unknown }).op !== 'string') {
      throw new ResponseError(ErrorCodes.InvalidParams, `${VM_REQUEST}: expected { request: { op: string, ... } }`);
    }
    if (!this.options.vms) throw new ResponseError(VM_SERVER_UNREACHABLE, 'this language server has no way to the VM server');
    try {
      return await this.options.vms.request(request);
    } catch (error) {
      throw new ResponseError(VM_SERVER_UNREACHABLE, error instanceof Error ? error.message : String(error));
    }
  }

  private async detach(): Promise<void> {
    await this.setLiveRegisters(undefined);
  }
}
