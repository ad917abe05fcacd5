// A code-server of its own for the test: a fresh user-data and extensions folder with the
// built .vsix installed, a copy of samples/minikernel with a launch.json as the workspace,
// listening on a free port of 127.0.0.1.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CODE_SERVER } from './tools';
import { freePort } from '../support/free-port';

const run = promisify(execFile);

export interface CodeServer {
  url: string;
  workspace: string;
  stop(): Promise<void>;
}

/** The workspace: samples/minikernel with a .vscode/launch.json of type lantern. */
export function makeWorkspace(root: string, sample: string): string {
  const workspace = path.join(root, 'minikernel');
  fs.cpSync(sample, workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, '.vscode'));
  const launch = {
    version: '0.2.0',
    configurations: [{
      type: 'lantern',
      request: 'launch',
      name: 'Lantern: minikernel',
      kernel: '${workspaceFolder}/minikernel.elf',
      bios: 'none',
      memory: '128M',
      smp: 2,
      uart: 'terminal',
    }],
  };
  fs.writeFileSync(path.join(workspace, '.vscode', 'launch.json'), JSON.stringify(launch, null, 2));
  return workspace;
}

/** Settings for a quiet, predictable workbench (and a terminal drawn in the DOM, so its text can be read). */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'terminal.integrated.gpuAcceleration': 'off',
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
};

/** `extraEnv` reaches the extension host and what it starts (LANTERN_SERVER, for one). */
export async function startCodeServer(root: string, vsix: string, workspace: string, log: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CodeServer> {
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  // code-server reads its own config file from XDG_CONFIG_HOME: keep it in the scratch folder.
  const env = { ...process.env, ...extraEnv, XDG_CONFIG_HOME: path.join(root, 'config'), XDG_DATA_HOME: path.join(root, 'data') };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  await run(CODE_SERVER, [...common, '--install-extension', vsix], { env });
  const port = await freePort();
  const output = fs.openSync(log, 'w');
  const child: ChildProcess = spawn(CODE_SERVER, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...common, workspace,
  ], { env, stdio: ['ignore', output, output], detached: true });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHealth(url, child);
  return {
    url,
    workspace,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM'); // its process group: the extension host and the adapter with it
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      }
      fs.closeSync(output);
    },
  };
}


async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(new URL('healthz', url));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('code-server did not answer /healthz within 30 s');
}

export function scratchFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-e2e-'));
}
