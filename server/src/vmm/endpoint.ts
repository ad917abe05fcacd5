// Where `lantern server` listens and keeps its TCP token: the user's runtime directory
// ($XDG_RUNTIME_DIR/lantern, else a private folder in the temp directory), made and checked
// owner-only, and the names net-ipc wants for Unix sockets and Windows named pipes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PIPE_PREFIX = '\\\\.\\pipe\\';

/** `$XDG_RUNTIME_DIR/lantern`, else `<tmpdir>/lantern-<uid>` (`lantern-<user>` on Windows). */
export function runtimeDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (process.platform !== 'win32' && xdg && path.isAbsolute(xdg)) return path.join(xdg, 'lantern');
  const owner = process.platform === 'win32' || typeof process.getuid !== 'function' ? safeUserName() : String(process.getuid());
  return path.join(os.tmpdir(), `lantern-${owner}`);
}

/** The server's default address: `server.sock` in the runtime directory, or on Windows the
 * named pipe `\\.\pipe\lantern-<user>`. LANTERN_SERVER, when set, replaces it. */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LANTERN_SERVER) return env.LANTERN_SERVER;
  if (process.platform === 'win32') return `${PIPE_PREFIX}lantern-${safeUserName()}`;
  return path.join(runtimeDirectory(env), 'server.sock');
}

/** Whether `socket` names a Windows named pipe (nothing on disk to check or remove). */
export function isNamedPipe(socket: string): boolean {
  return socket.startsWith(PIPE_PREFIX);
}

/** The TCP token's file for a server whose socket is `socket`: beside it, `.sock` replaced by
 * `.token` (`server.token` for the default socket); for a named pipe, in the runtime directory. */
export function tokenFileFor(socket: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isNamedPipe(socket)) return path.join(runtimeDirectory(env), `${socket.slice(PIPE_PREFIX.length)}.token`);
  const base = socket.endsWith('.sock') ? socket.slice(0, -'.sock'.length) : socket;
  return `${base}.token`;
}

/** The path as net-ipc wants it: it turns any path into `\\.\pipe\<path>` on Windows itself. */
export function netIpcPath(socket: string): string {
  return process.platform === 'win32' && isNamedPipe(socket) ? socket.slice(PIPE_PREFIX.length) : socket;
}

/** Makes `dir` if missing (0700). `strict`: it is our private runtime folder, so it must be a real
 * directory (no symlink) owned by us, and anything wider than 0700 is narrowed. */
export function ensurePrivateDirectory(dir: string, strict: boolean): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!strict || process.platform === 'win32') return;
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

function safeUserName(): string {
  let name: string;
  try {
    name = os.userInfo().username;
  } catch {
    name = process.env.USERNAME ?? process.env.USER ?? 'user';
  }
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'user';
}
