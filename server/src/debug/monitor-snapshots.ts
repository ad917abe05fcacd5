// `info snapshots` laid out as QEMU 7.2's hmp_info_snapshots / bdrv_snapshot_dump: ID, TAG,
// VM SIZE, DATE, VM CLOCK, ICOUNT. A pure function of the listing it is given.

export interface SnapshotRow {
  readonly name: string;
  readonly fileSize: number;
  /** ms since the epoch. */
  readonly date: number;
  readonly vmClockNs: bigint;
  readonly steps: bigint;
}

/** Bytes as QEMU's size_to_str: "4 KiB", "1.5 MiB" (three significant digits). */
export function sizeText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${Number(value.toPrecision(3))} ${units[unit]}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Local date as QEMU prints it: "%Y-%m-%d %H:%M:%S". */
function dateText(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The virtual clock as "%02d:%02d:%02d.%03d" (hours, minutes, seconds, ms). */
function clockText(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const seconds = ms / 1000n;
  return `${two(Number(seconds / 3600n))}:${two(Number((seconds / 60n) % 60n))}:${two(Number(seconds % 60n))}.${String(ms % 1000n).padStart(3, '0')}`;
}

export function snapshotTable(rows: readonly SnapshotRow[]): string {
  if (rows.length === 0) return 'There is no snapshot available.\n';
  let out = 'List of snapshots present on all disks:\n';
  out += `${'ID'.padEnd(10)}${'TAG'.padEnd(17)}${'VM SIZE'.padStart(8)}${'DATE'.padStart(20)}${'VM CLOCK'.padStart(15)}${'ICOUNT'.padStart(11)}\n`;
  rows.forEach((row, i) => {
    out += `${String(i + 1).padEnd(10)}${row.name.padEnd(17)}${sizeText(row.fileSize).padStart(8)}${dateText(row.date).padStart(20)}`
      + `${clockText(row.vmClockNs).padStart(15)}${String(row.steps).padStart(11)}\n`;
  });
  return out;
}
