// The target description gdb reads with qXfer:features:read ("Target Descriptions"):
// target.xml names the architecture and includes one file per feature, with QEMU's file and
// feature names (org.gnu.gdb.riscv.cpu, .fpu, .virtual, .csr), each register carrying its
// contract number as regnum (the number p/P/g use). gdb's riscv-tdep matches the registers by
// name, so the numbers may differ from gdb's internal ones, as QEMU's do.
import type { RegisterFeature, RegisterInfo } from '../server/src/debug/target';

const FEATURE_NAMES: Record<RegisterFeature, string> = {
  cpu: 'org.gnu.gdb.riscv.cpu',
  fpu: 'org.gnu.gdb.riscv.fpu',
  virtual: 'org.gnu.gdb.riscv.virtual',
  csr: 'org.gnu.gdb.riscv.csr',
};
/** target.xml's order of includes (QEMU's: core, FP, virtual, CSRs). */
const FEATURE_ORDER: readonly RegisterFeature[] = ['cpu', 'fpu', 'virtual', 'csr'];
/**
 * Register groups by feature. CSRs gdb knows by name go to `info registers csr` whatever the
 * group; the group puts the others there too (riscv-tdep's "csr" reggroup).
 */
const FEATURE_GROUPS: Partial<Record<RegisterFeature, string>> = { csr: 'csr' };
/** Compound types a register may name, defined in the feature that uses them (QEMU's fpu XML). */
const TYPE_DEFINITIONS: Record<string, string> = {
  riscv_double: '<union id="riscv_double"><field name="float" type="ieee_single"/><field name="double" type="ieee_double"/></union>',
};

export const TARGET_XML = 'target.xml';

/** Every document of the description by annex: target.xml and the feature files it includes. */
export function describeTarget(xlen: 32 | 64, registers: readonly RegisterInfo[]): ReadonlyMap<string, string> {
  const documents = new Map<string, string>();
  const includes: string[] = [];
  for (const feature of FEATURE_ORDER) {
    const members = registers.filter((register) => register.feature === feature);
    if (members.length === 0) continue;
    const file = featureFile(feature, xlen, members);
    documents.set(file, featureXml(feature, members));
    includes.push(`<xi:include href="${escapeXml(file)}"/>`);
  }
  documents.set(
    TARGET_XML,
    '<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n' +
      `<target version="1.0">\n<architecture>riscv:rv${xlen}</architecture>\n${includes.join('\n')}\n</target>\n`,
  );
  return documents;
}

/** QEMU's file names: riscv-64bit-cpu.xml and so on; the FPU's by its register width. */
function featureFile(feature: RegisterFeature, xlen: number, members: readonly RegisterInfo[]): string {
  const width = feature === 'fpu' ? Math.max(...members.map((register) => register.bits)) : xlen;
  return `riscv-${width}bit-${feature}.xml`;
}

function featureXml(feature: RegisterFeature, members: readonly RegisterInfo[]): string {
  const lines = ['<?xml version="1.0"?>', '<!DOCTYPE feature SYSTEM "gdb-target.dtd">', `<feature name="${FEATURE_NAMES[feature]}">`];
  const types = new Set(members.map((register) => register.type));
  for (const type of types) if (TYPE_DEFINITIONS[type]) lines.push('  ' + TYPE_DEFINITIONS[type]);
  const group = FEATURE_GROUPS[feature];
  for (const register of members) {
    const attributes = [
      `name="${escapeXml(register.name)}"`,
      `bitsize="${register.bits}"`,
      `regnum="${register.number}"`,
      `type="${escapeXml(register.type)}"`,
      ...(group ? [`group="${group}"`] : []),
    ];
    lines.push(`  <reg ${attributes.join(' ')}/>`);
  }
  lines.push('</feature>');
  return lines.join('\n') + '\n';
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
