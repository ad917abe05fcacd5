// The extension in a real VS Code: code-server 4.100.3 with the built .vsix, the minikernel
// folder open, Debian's Chromium driven by playwright-core. As a person would: open main.c,
// set a breakpoint on a line, press F5, see the hart stop on that line, read a local in the
// Variables view and the Page Tables and Last Trap views, then continue and type a line into
// the guest's UART terminal, which the kernel echoes before it powers off; then hover an
// instruction of start.S (the language server), and in the Lantern VMs view create a VM of
// `lantern server`, attach the debugger to it, hover a register (its value: running), stop and
// delete it. Screenshots go to test/e2e/artifacts/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { makeWorkspace, scratchFolder, startCodeServer, type CodeServer } from './code-server';
import { launchChromium, missingTools, type Browser, type Page } from './tools';
import { Workbench } from './workbench';

const ROOT = path.join(__dirname, '..', '..');
const ARTIFACTS = path.join(__dirname, 'artifacts');
const VSIX = path.join(ROOT, 'dist', 'lantern.vsix');
/** `acquire(&counter_lock);` in s_main's loop, where the local `i` is 0 on the first stop. */
const BREAKPOINT_LINE = 216;
/** start.S's `    csrr    a0, mhartid`: line and a column inside `csrr`. */
const CSRR_LINE = 13;
const CSRR_COLUMN = 6;
/** Its `a0`. */
const A0_COLUMN = 14;

const missing = missingTools();
if (missing && process.env.CI) throw new Error(missing);

describe.skipIf(missing !== undefined)('the Lantern extension in code-server', () => {
  let scratch: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workbench: Workbench;
  /** The extension's VM server, in the scratch folder (never the user's). */
  let vmServerSocket: string;
  const timings: string[] = [];
  let last = Date.now();
  const mark = (what: string) => {
    const now = Date.now();
    timings.push(`${what}: ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };

  beforeAll(async () => {
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'pipe' });
    mark('npm run package');
    scratch = scratchFolder();
    const workspace = makeWorkspace(scratch, path.join(ROOT, 'samples', 'minikernel'));
    vmServerSocket = path.join(scratch, 'server.sock');
    server = await startCodeServer(scratch, VSIX, workspace, path.join(ARTIFACTS, 'code-server.log'), { LANTERN_SERVER: vmServerSocket });
    mark('install the .vsix and start code-server');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const consoleLog: string[] = [];
    page.on('console', (message) => consoleLog.push(`${message.type()}: ${message.text()}`));
    afterAll(() => fs.writeFileSync(path.join(ARTIFACTS, 'browser-console.log'), consoleLog.join('\n')));
    workbench = new Workbench(page, ARTIFACTS);
    await workbench.open(server.url);
    mark('workbench shown');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    // The VM server outlives the language server that started it (detached): end it here.
    if (vmServerSocket && fs.existsSync(vmServerSocket)) {
      try {
        execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'shutdown', '--socket', vmServerSocket], { stdio: 'pipe', timeout: 15_000 });
      } catch {
        // none was answering
      }
    }
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'timings.txt'), `${timings.join('\n')}\n`);
  });

  it('stops on a source breakpoint, shows a local, the page tables and the last trap', async () => {
    onTestFailed(() => workbench.screenshot('failed-stop'));
    await workbench.openFile('main.c');
    await workbench.goToLine(BREAKPOINT_LINE);
    await workbench.toggleBreakpoint(BREAKPOINT_LINE);
    await workbench.screenshot('1-breakpoint-set');
    mark('breakpoint set');

    await workbench.startDebugging();
    await workbench.waitForStopAt(BREAKPOINT_LINE);
    mark('F5 to the stop');
    const local = await workbench.variable('i');
    expect(local).toBe('0');
    await workbench.screenshot('2-stopped-on-line');

    // Room for the extension's views: fold the empty Watch and the Loaded Scripts panes.
    await workbench.setViewExpanded('Watch', false);
    await workbench.setViewExpanded('Loaded Scripts', false);
    const pageTables = await workbench.viewText('Page Tables', /0x80000000/);
    expect(pageTables).toMatch(/Sv39/);
    const lastTrap = await workbench.viewText('Last Trap', /hart 0/);
    expect(lastTrap).toMatch(/hart 1/);
    await workbench.screenshot('3-page-tables-and-last-trap');
    mark('variables and views read');
  });

  it('saves a snapshot from the command palette, lists it, and restores it', async () => {
    onTestFailed(() => workbench.screenshot('failed-snapshot'));
    await workbench.command('Lantern: Save Snapshot', 'Lantern: Save Snapshot', true);
    await workbench.answerInput(/Snapshot name/, 'at-216');
    const listed = await workbench.viewText('Snapshots', /at-216/);
    expect(listed).toMatch(/at-216/);
    // Run on to a later pass of the loop (i = 1: the other hart may stop first with its i = 0),
    // then come back to the snapshot: line 216, i = 0 again.
    for (let tries = 0; tries < 4; tries++) {
      await workbench.continue();
      await workbench.waitForStopAt(BREAKPOINT_LINE);
      if (await expect.poll(() => workbench.variable('i'), { timeout: 3_000 }).toBe('1').then(() => true, () => false)) break;
    }
    expect(await workbench.variable('i')).toBe('1');
    await workbench.command('Lantern: Restore Snapshot', 'Lantern: Restore Snapshot', true);
    await workbench.pick('at-216'); // from the snapshots `info snapshots` lists
    await workbench.waitForStopAt(BREAKPOINT_LINE);
    // The views refresh on the restore's stopped event: the first pass's i = 0 comes back.
    await expect.poll(() => workbench.variable('i'), { timeout: 10_000 }).toBe('0');
    await workbench.screenshot('3b-snapshot-restored');
    await workbench.setViewExpanded('Snapshots', false);
    mark('save, run on, restore a snapshot');
  });

  it('steps forward and back with the toolbar: Step Back returns to the line and its values', async () => {
    onTestFailed(() => workbench.screenshot('failed-step-back'));
    // Without the breakpoint, the other hart (in the same loop) cannot end the step at line 216.
    await workbench.removeAllBreakpoints();
    await workbench.toolbar('Step Over');
    await workbench.waitForStopAt(BREAKPOINT_LINE + 1);
    await workbench.toolbar('Step Back');
    await workbench.waitForStopAt(BREAKPOINT_LINE);
    await expect.poll(() => workbench.variable('i'), { timeout: 10_000 }).toBe('0');
    await workbench.screenshot('3c-stepped-back');
    mark('step over, step back');
  });

  it('catches the user program\'s system call and explains it in Last Trap', async () => {
    onTestFailed(() => workbench.screenshot('failed-trap'));
    await workbench.removeAllBreakpoints();
    await workbench.setExceptionFilter('ecall from U-mode', true);
    await workbench.continue();
    await workbench.waitForExceptionStop(/Environment call from U-mode/);
    const lastTrap = await workbench.viewText('Last Trap', /Environment call from U-mode/);
    // The hart that stopped comes first, with its cause, epc and tval.
    expect(lastTrap).toMatch(/^hart 0\s*exception 8 \(Environment call from U-mode\)[\s\S]*epc 0x[0-9a-f]+[\s\S]*hart 1/);
    await workbench.screenshot('4-ecall-last-trap');
    mark('run to the ecall');
  });

  it('runs on and talks to the guest through the UART terminal', async () => {
    onTestFailed(() => workbench.screenshot('failed-uart'));
    await workbench.setExceptionFilter('ecall from U-mode', false);
    await workbench.continue();
    await workbench.waitForTerminalText(/uart: type a line/);
    await workbench.typeIntoTerminal('hello from vscode\r');
    await workbench.waitForTerminalText(/uart: got "hello from vscode"[\s\S]*minikernel: power off/);
    await workbench.waitForSessionEnd();
    await workbench.screenshot('5-uart-echo-and-power-off');
    mark('continue, type, power off');
  });

  it('debugs with no launch.json at all: F5 fills in the kernel and the terminal', async () => {
    onTestFailed(() => workbench.screenshot('failed-no-launch-json'));
    fs.rmSync(path.join(server.workspace, '.vscode'), { recursive: true });
    // F5 picks the debugger by the editor's language: Lantern declares C (and its own riscv-asm
    // for .s/.S files).
    await workbench.selectTab('main.c');
    await workbench.startDebugging();
    // A new terminal, and the defaults' single hart: the lock counter reaches 1000, not 2000.
    await workbench.waitForTerminalText(/spinlock: counter 1000 \(expected 1000\)[\s\S]*uart: type a line/);
    await workbench.typeIntoTerminal('bye\r');
    await workbench.waitForTerminalText(/uart: got "bye"[\s\S]*minikernel: power off/);
    await workbench.waitForSessionEnd();
    await workbench.screenshot('6-no-launch-json');
    mark('F5 without launch.json');
  });

  it('hovers an instruction of an assembly file: the language server explains it', async () => {
    onTestFailed(() => workbench.screenshot('failed-hover'));
    await workbench.openFile('start.S');
    expect(await workbench.editorLanguage()).toBe('RISC-V Assembly');
    const hover = await workbench.hoverAt(CSRR_LINE, CSRR_COLUMN, /Expands to/);
    expect(hover).toMatch(/csrrs rd, csr, x0/);
    expect(hover).toMatch(/Zicsr/);
    await workbench.screenshot('7-assembly-hover');
    await workbench.page.keyboard.press('Escape');
    mark('assembly hover');
  });

  it('creates a VM of lantern server from the palette, lists it running, attaches the debugger, stops and deletes it', async () => {
    onTestFailed(() => workbench.screenshot('failed-vms'));
    await workbench.showRunView();
    await workbench.setViewExpanded('Lantern VMs', true);
    await workbench.command('Lantern: Create VM', 'Lantern: Create VM', true);
    await workbench.pick('minikernel.elf', true);
    await workbench.answerInput(/Name of the new VM/, 'e2e-vm');
    const running = await workbench.viewRow('Lantern VMs', /e2e-vm.*running/);
    expect(await running.innerText()).toMatch(/running · 128 MiB · 1 hart · gdb \d+ · DAP \d+/);
    await workbench.screenshot('8-vm-running');
    // Debug it: the session attaches to the DAP endpoint the server serves for it; ending the
    // session lets it run on.
    await workbench.command('Lantern: Debug VM', 'Lantern: Debug VM', true);
    await workbench.pick('e2e-vm');
    await workbench.page.locator('.debug-toolbar').waitFor({ timeout: 15_000 });
    // Attaching does not stop it: the session runs, and the extension's views ask it about hart 0.
    expect(await workbench.viewText('Page Tables', /hart 0 is running/)).toMatch(/pause or stop at a breakpoint/);
    await workbench.screenshot('8b-vm-attached');
    // Register hovers read the session's VM through the server: it runs, and they say so.
    await workbench.openFile('start.S');
    expect(await workbench.hoverAt(CSRR_LINE, A0_COLUMN, /Now: running/)).toMatch(/a0 · x10/);
    await workbench.page.keyboard.press('Escape');
    await workbench.page.keyboard.press('Shift+F5');
    await workbench.waitForSessionEnd();
    await workbench.viewRow('Lantern VMs', /e2e-vm.*running/);
    await workbench.command('Lantern: Stop VM', 'Lantern: Stop VM', true);
    await workbench.pick('e2e-vm');
    await workbench.viewRow('Lantern VMs', /e2e-vm.*stopped/);
    await workbench.command('Lantern: Delete VM', 'Lantern: Delete VM', true);
    await workbench.pick('e2e-vm');
    await workbench.waitForRowGone('Lantern VMs', /e2e-vm/);
    await workbench.screenshot('9-vm-deleted');
    mark('VMs view: create, debug, stop, delete');
  });
});
