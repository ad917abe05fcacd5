// The "Lantern VMs" view's commands: create (an ELF of the workspace or lantern's own flags),
// start, pause, resume, stop, delete, snapshot, clone, console and debug. Run from a row of the
// view they act on that VM; from the command palette they ask which. Each refreshes the view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { absoluteVmArguments } from '../../server/src/cli/vm-arguments';
import { VM_NAME, type VmInfo, type VmState } from '../../server/src/vmm/protocol';
import { isElf } from './configuration';
import { DEBUG_TYPE, type LanternAttach } from './debug-type';
import type { LanternLanguageClient } from './language-client';
import { openVmConsole } from './vm-console';
import type { VmsView } from './vms-view';

/** A server VM for a bare-metal ELF, as F5 runs one: the virt board, no firmware. */
const ELF_DEFAULTS = ['-M', 'virt', '-bios', 'none'];

type Transition = 'start' | 'pause' | 'resume' | 'stop';

/** Each transition, the states it applies to and what the palette calls it. */
const TRANSITIONS: readonly { op: Transition; from: readonly VmState[]; title: string }[] = [
  { op: 'start', from: ['created', 'stopped', 'failed'], title: 'Start' },
  { op: 'pause', from: ['running'], title: 'Pause' },
  { op: 'resume', from: ['paused'], title: 'Resume' },
  { op: 'stop', from: ['running', 'paused'], title: 'Stop' },
];
const LIVE: readonly VmState[] = ['running', 'paused'];

export function vmCommands(server: LanternLanguageClient, view: VmsView): vscode.Disposable[] {
  /** Runs an action, shows its refusal as an error, and refreshes the view either way. */
  const act = (action: (vm?: VmInfo) => Promise<unknown>) => async (vm?: VmInfo) => {
    try {
      await action(vm);
    } catch (error) {
      void vscode.window.showErrorMessage(`Lantern: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await view.refresh();
    }
  };
  /** The row's VM, else one the user picks among those in `states`. */
  const choose = async (vm: VmInfo | undefined, title: string, states?: readonly VmState[]): Promise<VmInfo | undefined> => {
    if (vm?.name) return vm;
    const vms = (await server.vm({ op: 'list' })).filter((candidate) => !states || states.includes(candidate.state));
    if (vms.length === 0) throw new Error(`no VM to ${title.toLowerCase()}${states ? ` (none is ${states.join(' or ')})` : ''}`);
    const picked = await vscode.window.showQuickPick(vms.map((info) => ({ label: info.name, description: info.state, info })), { title: `${title} VM`, placeHolder: 'Which VM?' });
    return picked?.info;
  };

  const commands: [string, (vm?: VmInfo) => Promise<unknown>][] = [
    ['lantern.vms.refresh', () => view.refresh()],
    ['lantern.vms.create', () => createVm(server, view)],
    ...TRANSITIONS.map(({ op, from, title }): [string, (vm?: VmInfo) => Promise<unknown>] => [`lantern.vms.${op}`, async (vm) => {
      const target = await choose(vm, title, from);
      if (target) await server.vm({ op, name: target.name });
    }]),
    ['lantern.vms.delete', async (vm) => {
      const target = await choose(vm, 'Delete');
      if (!target) return;
      if (LIVE.includes(target.state)) {
        const answer = await vscode.window.showWarningMessage(`VM ${target.name} is ${target.state}: stop and delete it?`, { modal: true }, 'Delete');
        if (answer !== 'Delete') return;
      }
      await server.vm({ op: 'delete', name: target.name });
    }],
    ['lantern.vms.snapshot', async (vm) => {
      const target = await choose(vm, 'Snapshot', LIVE);
      if (!target) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const file = await vscode.window.showSaveDialog({
        title: `Save a snapshot of ${target.name}`,
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${target.name}.lsnap`) } : {}),
        filters: { 'Lantern snapshots': ['lsnap'] },
      });
      if (!file) return;
      const saved = await server.vm({ op: 'snapshot', name: target.name, file: file.fsPath });
      void vscode.window.showInformationMessage(`Lantern: ${target.name} saved to ${vscode.workspace.asRelativePath(saved.file)} (${Math.ceil(saved.bytes / 1024)} KiB)`);
    }],
    ['lantern.vms.clone', async (vm) => {
      const target = await choose(vm, 'Clone', LIVE);
      if (!target) return;
      const newName = await askName(`Name of the clone of ${target.name}`, unusedName(`${target.name}-clone`, view.current));
      if (newName) await server.vm({ op: 'clone', source: { vm: target.name }, newName, start: true });
    }],
    ['lantern.vms.console', async (vm) => {
      const target = await choose(vm, 'Open the console of', ['running', 'paused', 'stopped']);
      if (target) openVmConsole(server, target.name);
    }],
    ['lantern.vms.debug', async (vm) => {
      const target = await choose(vm, 'Debug', LIVE);
      if (!target) return;
      const attach: LanternAttach = { type: DEBUG_TYPE, request: 'attach', name: `Lantern VM: ${target.name}`, vm: target.name };
      await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], attach);
    }],
  ];
  return commands.map(([id, action]) => vscode.commands.registerCommand(id, act(action)));
}

/** Create: an ELF of the workspace with the defaults, or flags typed as on the command line. */
async function createVm(server: LanternLanguageClient, view: VmsView): Promise<void> {
  const found = await vscode.workspace.findFiles('**/*.elf', '**/node_modules/**', 50);
  const elves = found.map((uri) => uri.fsPath).filter(isElf).sort();
  const flagsItem: vscode.QuickPickItem = { label: '$(terminal) Lantern flags…', description: 'type the machine\'s flags as on the lantern command line' };
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { file?: string }>([
    ...elves.map((file) => ({ label: vscode.workspace.asRelativePath(file, false), description: ELF_DEFAULTS.join(' '), file })),
    flagsItem,
  ], { title: 'Create VM', placeHolder: 'The kernel to run (an ELF of the workspace), or your own flags' });
  if (!picked) return;
  let args: string[];
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  if (picked.file) {
    args = [...ELF_DEFAULTS, '-kernel', picked.file];
  } else {
    const flags = await vscode.window.showInputBox({
      title: 'Create VM',
      prompt: 'lantern (QEMU-style) flags; paths relative to the workspace folder',
      value: `${ELF_DEFAULTS.join(' ')} -m 128M -smp 1 -kernel `,
      validateInput: (text) => (splitFlags(text).length === 0 ? 'give the machine\'s flags' : undefined),
    });
    if (!flags) return;
    args = absoluteVmArguments(splitFlags(flags), cwd);
  }
  const base = picked.file ? path.basename(picked.file).replace(/\.elf$/, '').replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') : 'vm';
  const name = await askName('Name of the new VM', unusedName(base || 'vm', view.current));
  if (!name) return;
  await server.vm({ op: 'create', name, args, start: true });
}

function askName(prompt: string, value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Lantern VM', prompt, value,
    validateInput: (text) => (VM_NAME.test(text) ? undefined : 'a letter or digit, then letters, digits, ".", "_" or "-" (at most 64)'),
  });
}

/** `base`, else `base-2`, `base-3`, ... whichever no VM has. */
function unusedName(base: string, vms: readonly VmInfo[]): string {
  const taken = new Set(vms.map((vm) => vm.name));
  let name = base.slice(0, 60);
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 60)}-${n}`;
  return name;
}

/** Splits a command line at spaces, keeping "quoted" or 'quoted' words whole. */
export function splitFlags(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}
