// The assembly files the language server knows: open documents (as the editor has them) over the .s/.S files of the workspace folders (as on disk), each parsed once per version, searchable for a global name.
import { parseAssembly, type ParsedAssembly } from './assembly-parser';
import { analyzeSymbols, definitionsNamed, type AssemblySymbols, type Definition } from './assembly-symbols';

/** File access the index is given (the host's file system; tests can give anything). */
export interface WorkspaceFiles {
  /** The assembly files (.s, .S) under a workspace folder, as URIs; a bounded number. */
  list(folderUri: string): Promise<string[]>;
  /** A file's text, or undefined when it cannot be read (gone, too large, ...). */
  read(uri: string): Promise<string | undefined>;
}

export interface IndexedFile {
  readonly uri: string;
  readonly parsed: ParsedAssembly;
  readonly symbols: AssemblySymbols;
}

/** A definition and the file it is in. */
export interface LocatedDefinition {
  readonly uri: string;
  readonly definition: Definition;
}

/** One file's URI as a map key: the same file may come percent-encoded differently from the editor and from the disk scan. */
function keyOf(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

export function indexText(uri: string, text: string): IndexedFile {
  const parsed = parseAssembly(text);
  return { uri, parsed, symbols: analyzeSymbols(parsed) };
}

export class SymbolIndex {
  private readonly onDisk = new Map<string, IndexedFile>();
  private readonly open = new Map<string, { uri: string; version: number; text: string; file?: IndexedFile }>();
  private scanning: Promise<void> = Promise.resolve();

  constructor(private readonly files: WorkspaceFiles | undefined) {}

  /** Indexes the workspace folders' files in the background; `ready` resolves when done. */
  scan(folderUris: readonly string[]): void {
    const files = this.files;
    if (!files) return;
    this.scanning = (async () => {
      for (const folder of folderUris) {
        const uris = await files.list(folder).catch(() => [] as string[]);
        for (const uri of uris) await this.refresh(uri);
      }
    })();
  }

  /** Resolves once the workspace scan started by scan() is over. */
  get ready(): Promise<void> {
    return this.scanning;
  }

  /** The editor's text of a document (parsed lazily, once per version). */
  setOpen(uri: string, version: number, text: string): void {
    const key = keyOf(uri);
    const known = this.open.get(key);
    if (known && known.version === version && known.text === text) return;
    this.open.set(key, { uri, version, text });
  }

  /** The editor closed a document: the disk's copy (if in the workspace) counts again. */
  close(uri: string): void {
    this.open.delete(keyOf(uri));
  }

  /** Re-reads a workspace file from disk (after a change the client reported); a file that is gone is dropped. */
  async refresh(uri: string): Promise<void> {
    const text = await this.files?.read(uri).catch(() => undefined);
    if (text === undefined) this.onDisk.delete(keyOf(uri));
    else this.onDisk.set(keyOf(uri), indexText(uri, text));
  }

  forget(uri: string): void {
    this.onDisk.delete(keyOf(uri));
  }

  /** A file by URI: the open document when there is one, else the disk's copy. */
  get(uri: string): IndexedFile | undefined {
    const key = keyOf(uri);
    const open = this.open.get(key);
    if (open) {
      open.file ??= indexText(open.uri, open.text);
      return open.file;
    }
    return this.onDisk.get(key);
  }

  /** Every file, open documents first (each once). */
  all(): IndexedFile[] {
    const out: IndexedFile[] = [];
    for (const open of this.open.values()) out.push(this.get(open.uri)!);
    for (const [key, file] of this.onDisk) if (!this.open.has(key)) out.push(file);
    return out;
  }

  /**
   * Where another file defines `name` for this one to use: global labels (.globl, .global,
   * .weak); failing those, macros and .set/.equ constants (an .include'd file's).
   */
  definedElsewhere(name: string, exceptUri: string): LocatedDefinition[] {
    const except = keyOf(exceptUri);
    const globals: LocatedDefinition[] = [];
    const others: LocatedDefinition[] = [];
    for (const file of this.all()) {
      if (keyOf(file.uri) === except) continue;
      for (const definition of definitionsNamed(file.symbols, name)) {
        if (definition.kind === 'label' && definition.global) globals.push({ uri: file.uri, definition });
        else if (definition.kind === 'macro' || definition.kind === 'constant') others.push({ uri: file.uri, definition });
      }
    }
    return globals.length > 0 ? globals : others;
  }
}
