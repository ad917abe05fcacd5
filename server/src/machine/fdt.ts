// Flattened device trees (Devicetree Specification v0.4, chapter 5): a tree of nodes and
// properties, its serialisation to a DTB blob, and a validating parser of DTB blobs.

/** The header's first word (spec 5.2). */
export const FDT_MAGIC = 0xd00dfeed;

// Structure block tokens (spec 5.4.1), each a big-endian u32 aligned to 4 bytes.
const FDT_BEGIN_NODE = 0x1;
const FDT_END_NODE = 0x2;
const FDT_PROP = 0x3;
const FDT_NOP = 0x4;
const FDT_END = 0x9;

/** The version written (17) and the oldest it is compatible with (16) (spec 5.2). */
const VERSION = 17;
const LAST_COMP_VERSION = 16;
/** Header bytes: ten u32 fields in version 17; version 16 lacks size_dt_struct. */
const HEADER_SIZE = 40;
const HEADER_SIZE_V16 = 36;
/** A memory reservation entry: u64 address, u64 size; (0, 0) ends the block (spec 5.3). */
const RESERVATION_SIZE = 16;

/** Node and property names (spec 2.2.1, 2.2.4): 1..31 characters of a small set, node names plus `@unit-address`. */
const NODE_NAME = /^[0-9A-Za-z,._+-]{1,31}(@[0-9A-Za-z,._+-]+)?$/;
const PROPERTY_NAME = /^[0-9A-Za-z,._+?#-]{1,31}$/;

/** A blob that is not a well-formed DTB; the message is a few words on what is wrong. */
export class FdtError extends Error {
  override readonly name = 'FdtError';
}

export interface FdtProperty {
  readonly name: string;
  value: Uint8Array;
}

/** A memory reservation block entry: physical memory the OS must not use. */
export interface FdtReservation {
  readonly address: bigint;
  readonly size: bigint;
}

/** The header fields of a DTB blob (spec 5.2). */
export interface FdtHeader {
  readonly totalSize: number;
  readonly structOffset: number;
  readonly stringsOffset: number;
  readonly reservationsOffset: number;
  readonly version: number;
  readonly lastCompatibleVersion: number;
  readonly bootCpuid: number;
  readonly stringsSize: number;
  /** Absent (undefined) before version 17. */
  readonly structSize: number | undefined;
}

/** Property value encodings (spec 2.2.4, table 2.3). */
export const encode = {
  empty: (): Uint8Array => new Uint8Array(0),
  /** Big-endian 32-bit cells. */
  u32(...cells: readonly number[]): Uint8Array {
    const out = new Uint8Array(4 * cells.length);
    const view = new DataView(out.buffer);
    cells.forEach((cell, i) => {
      if (!Number.isInteger(cell) || cell < 0 || cell > 0xffff_ffff) throw new RangeError(`cell ${cell} is not a u32`);
      view.setUint32(4 * i, cell);
    });
    return out;
  },
  /** Each value as two cells, most significant first. */
  u64(...values: readonly bigint[]): Uint8Array {
    const out = new Uint8Array(8 * values.length);
    const view = new DataView(out.buffer);
    values.forEach((value, i) => {
      if (value < 0n || value >= 1n << 64n) throw new RangeError(`value ${value} is not a u64`);
      view.setBigUint64(8 * i, value);
    });
    return out;
  },
  /** A NUL-terminated string. */
  string: (text: string): Uint8Array => encode.strings(text),
  /** Concatenated NUL-terminated strings (a `<stringlist>`). */
  strings(...list: readonly string[]): Uint8Array {
    const parts = list.map((text) => {
      if (text.includes('\0')) throw new RangeError('a device-tree string cannot contain NUL');
      return Buffer.from(`${text}\0`, 'utf8');
    });
    return Uint8Array.from(Buffer.concat(parts));
  },
};

/** A device-tree node: ordered properties, then ordered children. */
export class FdtNode {
  readonly properties: FdtProperty[] = [];
  readonly children: FdtNode[] = [];

  /** `name` is "node-name[@unit-address]"; the root's is "". */
  constructor(readonly name: string) {}

  /** Adds a child node (its name checked against spec 2.2.1) and returns it. */
  addChild(name: string): FdtNode {
    if (!NODE_NAME.test(name)) throw new RangeError(`invalid device-tree node name '${name}'`);
    if (this.child(name)) throw new RangeError(`node '${name}' already exists`);
    const node = new FdtNode(name);
    this.children.push(node);
    return node;
  }

  child(name: string): FdtNode | undefined {
    return this.children.find((node) => node.name === name);
  }

  /**
   * Sets a property: replaced in place if present; otherwise appended, or put first with
   * `'first'` (where libfdt's fdt_setprop puts a new property, so QEMU's edits land there).
   */
  set(name: string, value: Uint8Array, where: 'last' | 'first' = 'last'): this {
    if (!PROPERTY_NAME.test(name)) throw new RangeError(`invalid device-tree property name '${name}'`);
    const existing = this.properties.find((property) => property.name === name);
    if (existing) existing.value = value;
    else if (where === 'first') this.properties.unshift({ name, value });
    else this.properties.push({ name, value });
    return this;
  }

  setEmpty(name: string): this {
    return this.set(name, encode.empty());
  }

  setU32(name: string, ...cells: readonly number[]): this {
    return this.set(name, encode.u32(...cells));
  }

  setU64(name: string, ...values: readonly bigint[]): this {
    return this.set(name, encode.u64(...values));
  }

  setString(name: string, text: string): this {
    return this.set(name, encode.string(text));
  }

  setStrings(name: string, ...list: readonly string[]): this {
    return this.set(name, encode.strings(...list));
  }

  setBytes(name: string, bytes: Uint8Array): this {
    return this.set(name, Uint8Array.from(bytes));
  }

  /** This node's phandle (spec 2.3.3): the handle other nodes' properties refer to it by. */
  setPhandle(phandle: number): this {
    return this.setU32('phandle', phandle);
  }

  get(name: string): Uint8Array | undefined {
    return this.properties.find((property) => property.name === name)?.value;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  remove(name: string): boolean {
    const at = this.properties.findIndex((property) => property.name === name);
    if (at >= 0) this.properties.splice(at, 1);
    return at >= 0;
  }

  /** The property as 32-bit cells (undefined when absent or not a whole number of cells). */
  getU32s(name: string): number[] | undefined {
    const value = this.get(name);
    if (value === undefined || value.length % 4 !== 0) return undefined;
    const view = new DataView(value.buffer, value.byteOffset, value.length);
    return Array.from({ length: value.length / 4 }, (_, i) => view.getUint32(4 * i));
  }

  getU32(name: string): number | undefined {
    const cells = this.getU32s(name);
    return cells?.length === 1 ? cells[0] : undefined;
  }

  /** The property as 64-bit values (two cells each). */
  getU64s(name: string): bigint[] | undefined {
    const value = this.get(name);
    if (value === undefined || value.length % 8 !== 0) return undefined;
    const view = new DataView(value.buffer, value.byteOffset, value.length);
    return Array.from({ length: value.length / 8 }, (_, i) => view.getBigUint64(8 * i));
  }

  /** The property as a string list (undefined unless it is NUL-terminated strings). */
  getStrings(name: string): string[] | undefined {
    const value = this.get(name);
    if (value === undefined || value.length === 0 || value[value.length - 1] !== 0) return undefined;
    return Buffer.from(value.subarray(0, value.length - 1)).toString('utf8').split('\0');
  }

  getString(name: string): string | undefined {
    const list = this.getStrings(name);
    return list?.length === 1 ? list[0] : undefined;
  }
}

/** A whole device tree: the root node, the memory reservations and the boot CPU. */
export class DeviceTree {
  readonly root = new FdtNode('');
  readonly reservations: FdtReservation[] = [];
  /** boot_cpuid_phys: the physical id (reg) of the CPU that boots. */
  bootCpuid = 0;

  /** The node at an absolute path ("/", "/soc/serial@10000000"). */
  node(path: string): FdtNode | undefined {
    if (!path.startsWith('/')) return undefined;
    let node: FdtNode | undefined = this.root;
    for (const name of path.split('/').filter((part) => part !== '')) node = node?.child(name);
    return node;
  }

  /** The node at `path`, creating missing nodes on the way. */
  ensureNode(path: string): FdtNode {
    if (!path.startsWith('/')) throw new RangeError(`device-tree path '${path}' is not absolute`);
    let node = this.root;
    for (const name of path.split('/').filter((part) => part !== '')) node = node.child(name) ?? node.addChild(name);
    return node;
  }

  /** A phandle no node uses yet: one above the largest in the tree (phandles start at 1). */
  nextPhandle(): number {
    let highest = 0;
    const visit = (node: FdtNode) => {
      highest = Math.max(highest, node.getU32('phandle') ?? 0);
      node.children.forEach(visit);
    };
    visit(this.root);
    return highest + 1;
  }
}

/**
 * Serialises a tree to a DTB (spec 5.1): header, memory reservation block (8-aligned),
 * structure block (4-aligned tokens), strings block (each property name once).
 */
export function serializeFdt(tree: DeviceTree): Uint8Array {
  const strings = new StringTable();
  const struct = new ByteWriter();
  const writeNode = (node: FdtNode) => {
    struct.u32(FDT_BEGIN_NODE);
    struct.bytes(Buffer.from(`${node.name}\0`, 'utf8'));
    struct.align(4);
    for (const property of node.properties) {
      struct.u32(FDT_PROP);
      struct.u32(property.value.length);
      struct.u32(strings.offset(property.name));
      struct.bytes(property.value);
      struct.align(4);
    }
    node.children.forEach(writeNode);
    struct.u32(FDT_END_NODE);
  };
  writeNode(tree.root);
  struct.u32(FDT_END);

  const reservationsOffset = HEADER_SIZE; // already 8-aligned
  const structOffset = reservationsOffset + RESERVATION_SIZE * (tree.reservations.length + 1);
  const stringsOffset = structOffset + struct.length;
  const stringBytes = strings.bytes();
  const totalSize = stringsOffset + stringBytes.length;

  const out = new Uint8Array(totalSize);
  const view = new DataView(out.buffer);
  const header = [
    FDT_MAGIC, totalSize, structOffset, stringsOffset, reservationsOffset,
    VERSION, LAST_COMP_VERSION, tree.bootCpuid, stringBytes.length, struct.length,
  ];
  header.forEach((field, i) => view.setUint32(4 * i, field));
  tree.reservations.forEach((entry, i) => {
    view.setBigUint64(reservationsOffset + RESERVATION_SIZE * i, entry.address);
    view.setBigUint64(reservationsOffset + RESERVATION_SIZE * i + 8, entry.size);
  });
  out.set(struct.result(), structOffset);
  out.set(stringBytes, stringsOffset);
  return out;
}

/** Reads and checks a DTB header: magic, version, and every block inside totalsize. */
export function readFdtHeader(blob: Uint8Array): FdtHeader {
  if (blob.length < HEADER_SIZE_V16) throw new FdtError(`${blob.length} bytes is too short for a header`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.length);
  const field = (i: number) => view.getUint32(4 * i);
  const magic = field(0);
  if (magic !== FDT_MAGIC) throw new FdtError(`bad magic 0x${magic.toString(16).padStart(8, '0')}`);
  const version = field(5);
  const header: FdtHeader = {
    totalSize: field(1),
    structOffset: field(2),
    stringsOffset: field(3),
    reservationsOffset: field(4),
    version,
    lastCompatibleVersion: field(6),
    bootCpuid: field(7),
    stringsSize: field(8),
    structSize: version >= 17 && blob.length >= HEADER_SIZE ? field(9) : undefined,
  };
  if (version < LAST_COMP_VERSION) throw new FdtError(`version ${version} is older than 16`);
  if (header.lastCompatibleVersion > VERSION) {
    throw new FdtError(`needs a reader of version ${header.lastCompatibleVersion} (this one reads 17)`);
  }
  const headerSize = version >= 17 ? HEADER_SIZE : HEADER_SIZE_V16;
  if (header.totalSize < headerSize) throw new FdtError(`totalsize ${header.totalSize} is smaller than the header`);
  if (header.totalSize > blob.length) {
    throw new FdtError(`totalsize ${header.totalSize} is larger than the ${blob.length} bytes given`);
  }
  const within = (what: string, offset: number, size: number) => {
    if (offset < headerSize || offset + size > header.totalSize) {
      throw new FdtError(`${what} (offset ${offset}, ${size} bytes) lies outside the blob`);
    }
  };
  if (header.reservationsOffset % 8 !== 0) throw new FdtError('the memory reservation block is not 8-byte aligned');
  within('the memory reservation block', header.reservationsOffset, RESERVATION_SIZE);
  if (header.structOffset % 4 !== 0) throw new FdtError('the structure block is not 4-byte aligned');
  within('the structure block', header.structOffset, header.structSize ?? 4);
  within('the strings block', header.stringsOffset, header.stringsSize);
  return header;
}

/** Parses a DTB into a tree; throws FdtError naming the first problem found. */
export function parseFdt(blob: Uint8Array): DeviceTree {
  const header = readFdtHeader(blob);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.length);
  const tree = new DeviceTree();
  tree.bootCpuid = header.bootCpuid;

  for (let at = header.reservationsOffset; ; at += RESERVATION_SIZE) {
    if (at + RESERVATION_SIZE > header.totalSize) throw new FdtError('the memory reservation block has no end entry');
    const address = view.getBigUint64(at);
    const size = view.getBigUint64(at + 8);
    if (address === 0n && size === 0n) break;
    tree.reservations.push({ address, size });
  }

  const structEnd = header.structOffset + (header.structSize ?? header.totalSize - header.structOffset);
  const stringsEnd = header.stringsOffset + header.stringsSize;
  const text = (from: number, end: number, what: string): { text: string; next: number } => {
    const nul = blob.indexOf(0, from);
    if (nul < 0 || nul >= end) throw new FdtError(`${what} at offset ${from} is not NUL-terminated`);
    return { text: Buffer.from(blob.subarray(from, nul)).toString('utf8'), next: nul + 1 };
  };
  let at = header.structOffset;
  const token = (): number => {
    if (at + 4 > structEnd) throw new FdtError('the structure block ends without FDT_END');
    const value = view.getUint32(at);
    at += 4;
    return value;
  };
  const align4 = (offset: number) => (offset + 3) & ~3;

  const stack: FdtNode[] = [];
  let rootSeen = false;
  let done = false;
  while (!done) {
    const offset = at;
    const kind = token();
    switch (kind) {
      case FDT_BEGIN_NODE: {
        const name = text(at, structEnd, 'a node name');
        at = align4(name.next);
        if (stack.length === 0) {
          if (rootSeen) throw new FdtError(`a second root node at offset ${offset}`);
          if (name.text !== '') throw new FdtError(`the root node is named '${name.text}'`);
          rootSeen = true;
          stack.push(tree.root);
        } else {
          const node = new FdtNode(name.text);
          stack[stack.length - 1].children.push(node);
          stack.push(node);
        }
        break;
      }
      case FDT_END_NODE:
        if (stack.length === 0) throw new FdtError(`FDT_END_NODE without a node at offset ${offset}`);
        stack.pop();
        break;
      case FDT_PROP: {
        const length = token();
        const nameOffset = token();
        if (stack.length === 0) throw new FdtError(`a property outside any node at offset ${offset}`);
        if (at + length > structEnd) throw new FdtError(`a property value at offset ${offset} runs past the structure block`);
        if (nameOffset >= header.stringsSize) throw new FdtError(`a property name offset ${nameOffset} lies outside the strings block`);
        const name = text(header.stringsOffset + nameOffset, stringsEnd, 'a property name');
        stack[stack.length - 1].properties.push({ name: name.text, value: blob.slice(at, at + length) });
        at = align4(at + length);
        break;
      }
      case FDT_NOP:
        break;
      case FDT_END:
        if (stack.length > 0) throw new FdtError(`FDT_END inside node '${stack[stack.length - 1].name}'`);
        if (!rootSeen) throw new FdtError('the structure block has no root node');
        done = true;
        break;
      default:
        throw new FdtError(`unknown token 0x${kind.toString(16)} at offset ${offset}`);
    }
  }
  return tree;
}

/** The strings block: each distinct name stored once, looked up by its offset. */
class StringTable {
  private readonly offsets = new Map<string, number>();
  private readonly parts: Buffer[] = [];
  private size = 0;

  offset(name: string): number {
    let offset = this.offsets.get(name);
    if (offset === undefined) {
      offset = this.size;
      const bytes = Buffer.from(`${name}\0`, 'utf8');
      this.parts.push(bytes);
      this.size += bytes.length;
      this.offsets.set(name, offset);
    }
    return offset;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(Buffer.concat(this.parts));
  }
}

/** A growable big-endian byte buffer for the structure block. */
class ByteWriter {
  private buffer = new Uint8Array(4096);
  length = 0;

  u32(value: number): void {
    this.reserve(4);
    new DataView(this.buffer.buffer).setUint32(this.length, value);
    this.length += 4;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Zero padding up to a multiple of `to`. */
  align(to: number): void {
    const padded = Math.ceil(this.length / to) * to;
    this.reserve(padded - this.length);
    this.buffer.fill(0, this.length, padded);
    this.length = padded;
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + more));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
