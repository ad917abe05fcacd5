// `-help` in QEMU 7.2's layout (qemu-options.hx, as `qemu-system-riscv64 -help` prints it): a
// version line, a usage line, then the options in QEMU's groups and order, each on a line that
// starts with its flag and argument synopsis, the description from column 16 (or on the next
// lines, indented 16, when the synopsis is longer). Makefiles test for an option with
// `$(QEMU) -help | grep '^-gdb'`, so an option is listed only once Lantern has it; the ones it
// knows but lacks are named on a closing line that starts with a word.
import type { Command, Option } from 'commander';

/** QEMU's groups, with the argument synopsis of each option Lantern may have, in QEMU's order. */
const GROUPS: readonly { title: string; options: readonly (readonly [flag: string, synopsis: string])[] }[] = [
  {
    title: 'Standard options',
    options: [
      ['-machine', '[type=]name[,dumpdtb=file]'],
      ['-cpu', 'cpu'],
      ['-smp', '[[cpus=]n][,maxcpus=maxcpus][,sockets=sockets][,dies=dies][,clusters=clusters][,cores=cores][,threads=threads]'],
      ['-global', 'driver.property=value'],
      ['-m', '[size=]megs'],
      ['-device', 'driver[,prop[=value][,...]]'],
      ['-object', 'TYPENAME[,PROP1=VALUE1,...]'],
    ],
  },
  { title: 'Block device options', options: [['-drive', '[file=file][,if=type][,format=f][,id=name][,readonly=on|off]']] },
  { title: 'Display options', options: [['-nographic', '']] },
  { title: 'Network options', options: [['-netdev', 'user,id=str'], ['-nic', 'user[,model=type][,mac=macaddr]']] },
  { title: 'Character device options', options: [['-chardev', 'stdio|null,id=id[,mux=on|off][,signal=on|off]']] },
  {
    title: 'Boot Image or Kernel specific',
    options: [['-bios', 'file'], ['-kernel', 'file'], ['-append', 'cmdline'], ['-initrd', 'file'], ['-dtb', 'file']],
  },
  {
    title: 'Debug/Expert options',
    options: [
      ['-serial', 'dev'],
      ['-S', ''],
      ['-gdb', 'dev'],
      ['-s', ''],
      ['-history', 'on|off[,budget=SIZE][,interval=STEPS]'],
      ['-d', 'item1,...'],
      ['-D', 'logfile'],
      ['-seed', 'number'],
      ['-no-reboot', ''],
      ['-rtc', '[base=utc|localtime|<datetime>][,clock=host|rt|vm][,driftfix=none|slew]'],
      ['-icount', '[shift=N][,align=on|off][,sleep=on|off][,rr=record|replay,rrfile=filename]'],
      ['-semihosting', ''],
      ['-semihosting-config', '[enable=on|off][,target=native|auto][,userspace=on|off][,arg=str[,...]]'],
    ],
  },
];

/** Where descriptions start (QEMU's column), and the width they wrap at. */
const COLUMN = 16;
const WIDTH = 80;

export interface HelpHeader {
  /** The first line of --version. */
  readonly versionLine: string;
  readonly program: string;
}

/** The whole help text for `command`'s options; `notYet` are the QEMU options Lantern names but lacks. */
export function formatHelp(command: Command, header: HelpHeader, notYet: Iterable<string>): string {
  const shown = new Map<string, Option>();
  const missing = new Set(notYet);
  for (const option of command.options) {
    const flag = qemuFlag(option);
    if (flag === '-version' || flag === '-V') continue;
    if (option.hidden) missing.add(flag);
    else shown.set(flag, option);
  }
  const groups = GROUPS.map((group) => ({ title: group.title, lines: [] as string[] }));
  const placed = new Set<string>();
  groups[0].lines.push(...entry('-h or -help', 'display this help and exit'), ...entry('-version', 'display version information and exit'));
  GROUPS.forEach((group, index) => {
    for (const [flag, synopsis] of group.options) {
      const option = shown.get(flag);
      if (!option) continue;
      placed.add(flag);
      groups[index].lines.push(...entry(synopsis === '' ? flag : `${flag} ${synopsis}`, describe(option)));
    }
  });
  // Options this table does not know yet: with Lantern's own synopsis, among the standard ones.
  for (const [flag, option] of shown) {
    if (!placed.has(flag)) groups[0].lines.push(...entry(qemuSpelling(option.flags.split(/,\s*/).pop()!), describe(option)));
  }

  const out = [header.versionLine, `usage: ${header.program} [options]`, ''];
  for (const group of groups) {
    if (group.lines.length > 0) out.push(`${group.title}:`, ...group.lines, '');
  }
  // A hanging indent: no line of this list may start with a flag.
  if (missing.size > 0) out.push(...wrap(`Not supported yet: ${[...missing].join(' ')}`, COLUMN, 0), '');
  out.push("When using -nographic, press 'ctrl-a h' to get some help.", '');
  return out.join('\n');
}

/** An option's QEMU spelling: `--machine` is `-machine`, short ones stay. */
function qemuFlag(option: Option): string {
  return option.long ? option.long.slice(1) : option.short ?? option.flags;
}

/** Lantern's `--name <value>` as QEMU's `-name value`. */
function qemuSpelling(flags: string): string {
  return flags.replace(/^--/, '-').replace(/[<>[\]]/g, '');
}

function describe(option: Option): string {
  const alias = option.long && option.short ? ` (also ${option.short})` : '';
  const fallback = typeof option.defaultValue === 'string' ? ` (default: ${option.defaultValue})` : '';
  return `${option.description}${alias}${fallback}`;
}

/** One option: the term, then the description from column 16 on the same line if it fits there. */
function entry(term: string, description: string): string[] {
  const lines = wrap(description, COLUMN);
  if (term.length < COLUMN) return [`${term.padEnd(COLUMN)}${lines[0].slice(COLUMN)}`, ...lines.slice(1)];
  return [term, ...lines];
}

/** Words wrapped at WIDTH, each line indented by `indent` (the first by `first`). */
function wrap(text: string, indent: number, first = indent): string[] {
  const lines: string[] = [];
  let line = ' '.repeat(first);
  let empty = true;
  for (const word of text.split(/\s+/)) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
