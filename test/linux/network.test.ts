// The user network under a real Linux guest (issue 10): samples/linux's nettool on Lantern's
// `-netdev user` fetches from HTTP, TCP and UDP servers this test runs on 127.0.0.1 through
// 10.0.2.2, resolves a name through 10.0.2.3, moves 64 MiB each way (checked against the
// pattern), opens 50 connections at once, reads slowly without the host losing a byte, and
// serves pages the test fetches through hostfwd. A run recorded with -icount rr=record then
// replays from its log alone, printing the same transcript.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostBundle } from '../support/guest-tools';
import { CLI, FW_JUMP, IMAGE, INITRAMFS, haveGuest } from './guest';
import { freePort } from '../support/ports';

const MiB = 1024 * 1024;
const BIG = 64 * MiB;
/** What the slow reader reads: more than the host's socket buffers and the network's queue hold. */
const SLOW = 12 * MiB;
const PROMPT = 'nettool> ';

/** The stream nettool sends and checks (samples/linux/nettool.c): byte i is (i * 7 + i / 4096) & 0xff. */
function pattern(offset: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    const n = offset + i;
    bytes[i] = (n * 7 + Math.floor(n / 4096)) & 0xff;
  }
  return bytes;
}

/** The pattern a MiB at a time (each MiB differs: the i / 4096 term), cached for the big transfers. */
const mibCache = new Map<number, Buffer>();
function patternMib(index: number): Buffer {
  let bytes = mibCache.get(index);
  if (!bytes) {
    bytes = pattern(index * MiB, MiB);
    mibCache.set(index, bytes);
  }
  return bytes;
}

function patternHash(size: number): string {
  const hash = createHash('sha256');
  for (let at = 0; at < size; at += MiB) hash.update(size - at >= MiB ? patternMib(at / MiB) : pattern(at, size - at));
  return hash.digest('hex');
}

/** Writes `size` pattern bytes, waiting for 'drain' (the guest's window is the host's back-pressure). */
async function writePattern(socket: net.Socket, size: number, onBlocked?: () => void): Promise<void> {
  for (let at = 0; at < size && !socket.destroyed; at += MiB) {
    const piece = size - at >= MiB ? patternMib(at / MiB) : pattern(at, size - at);
    if (!socket.write(piece)) {
      onBlocked?.();
      await new Promise((resolve) => socket.once('drain', resolve));
    }
  }
  socket.end();
}

interface Servers {
  http: number;
  sink: number;
  source: number;
  slow: number;
  udp: number;
  /** What the sink received, per connection: bytes and hash. */
  sunk: { bytes: number; sha256: string }[];
  /** The slow source's writes that had to wait for the guest. */
  slowBlocked: number;
  close(): void;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

async function startServers(): Promise<Servers> {
  const web = http.createServer((request, response) => {
    const bytes = /^\/bytes\/(\d+)$/.exec(request.url ?? '');
    if (request.url === '/hello') response.end('hello from the host\n');
    else if (bytes) {
      response.writeHead(200, { 'Content-Length': bytes[1] });
      response.end(pattern(0, Number(bytes[1])));
    } else {
      response.writeHead(404);
      response.end('not here\n');
    }
  });
  const sunk: Servers['sunk'] = [];
  const sink = net.createServer({ allowHalfOpen: true }, (socket) => {
    const hash = createHash('sha256');
    let bytes = 0;
    socket.on('data', (data) => { hash.update(data); bytes += data.length; });
    socket.on('end', () => {
      const sha256 = hash.digest('hex');
      sunk.push({ bytes, sha256 });
      socket.end(`got bytes=${bytes}\n`);
    });
    socket.on('error', () => {});
  });
  const source = net.createServer((socket) => { socket.on('error', () => {}); void writePattern(socket, BIG); });
  const servers = { slowBlocked: 0 } as Servers;
  const slow = net.createServer((socket) => { socket.on('error', () => {}); void writePattern(socket, SLOW, () => { servers.slowBlocked++; }); });
  const udp = dgram.createSocket('udp4');
  udp.on('message', (message, from) => udp.send(Buffer.concat([Buffer.from('echo: '), message]), from.port, from.address));
  const udpPort = await new Promise<number>((resolve) => udp.bind(0, '127.0.0.1', () => resolve(udp.address().port)));
  Object.assign(servers, {
    http: await listen(web), sink: await listen(sink), source: await listen(source), slow: await listen(slow), udp: udpPort, sunk,
    close() {
      for (const server of [web, sink, source, slow]) server.close();
      udp.close();
    },
  });
  return servers;
}


interface Session {
  status: number | null;
  transcript: string;
  stderr: string;
  /** Each command's answer: the lines between its echo and the next prompt, as key → value. */
  answers: Map<string, Map<string, string>>;
  seconds: number;
}

/**
 * Boots the guest with nettool and types `commands` one prompt at a time; `onOutput` sees the
 * transcript as it grows (to act on `listening=`).
 */
function session(args: readonly string[], commands: readonly string[], timeoutMs: number, onOutput?: (transcript: string) => void): Promise<Session> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let transcript = '';
    let stderr = '';
    let next = 0;
    let from = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      transcript = (transcript + chunk).replace(/\r\n/g, '\n');
      onOutput?.(transcript);
      for (;;) {
        const at = transcript.indexOf(PROMPT, from);
        if (at < 0 || next >= commands.length) break;
        from = at + PROMPT.length;
        child.stdin.write(`${commands[next++]}\n`);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdin.on('error', () => {});
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, transcript, stderr, answers: answersOf(transcript, commands), seconds: (Date.now() - started) / 1000 });
    });
  });
}

function answersOf(transcript: string, commands: readonly string[]): Map<string, Map<string, string>> {
  const answers = new Map<string, Map<string, string>>();
  const blocks = transcript.split(PROMPT).slice(1);
  blocks.forEach((block, i) => {
    const command = commands[i];
    if (command === undefined) return;
    const fields = new Map<string, string>();
    for (const line of block.split('\n').slice(1)) {
      const equals = line.indexOf('=');
      if (equals > 0) fields.set(line.slice(0, equals), line.slice(equals + 1));
      else if (line.startsWith('error ')) fields.set('error', line.slice(6));
      else if (line === 'done') fields.set('done', 'yes');
    }
    answers.set(command, fields);
  });
  return answers;
}

const haveFirmware = fs.existsSync(FW_JUMP);
const guestArgs = (append: string, netdev: string) => [
  '-M', 'virt', '-m', '256M', '-nographic', '-smp', '2', '-bios', FW_JUMP, '-kernel', IMAGE, '-initrd', INITRAMFS,
  '-append', `console=ttyS0 ${append}`, '-netdev', netdev, '-device', 'virtio-net-device,netdev=n0',
];

describe.skipIf(!haveGuest() || !haveFirmware)('the user network under Linux', () => {
  let servers: Servers;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-net-'));

  beforeAll(async () => {
    buildHostBundle();
    servers = await startServers();
  });
  afterAll(() => {
    servers?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('reaches host servers through 10.0.2.2, moves 64 MiB each way intact, and serves through hostfwd', async () => {
    const forward = await freePort();
    const fetched: { status: number; bytes: number; sha256: string; body: string }[] = [];
    let fetching: Promise<void> | undefined;
    const fetch = (pathname: string) => new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: forward, path: pathname }, (response) => {
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on('data', (data: Buffer) => { hash.update(data); bytes += data.length; if (chunks.length < 4) chunks.push(data); });
        response.on('end', () => {
          fetched.push({ status: response.statusCode ?? 0, bytes, sha256: hash.digest('hex'), body: Buffer.concat(chunks).toString('latin1').slice(0, 40) });
          resolve();
        });
      }).on('error', reject);
    });
    const H = '10.0.2.2';
    const commands = [
      `get ${H} ${servers.http} /hello`,
      `get ${H} ${servers.http} /missing`,
      'resolve localhost',
      `udp ${H} ${servers.udp} over udp`,
      `parallel ${H} ${servers.http} /bytes/20000 50`,
      `slowrecv ${H} ${servers.slow} ${SLOW} 1`,
      'hash off',
      `send ${H} ${servers.sink} ${BIG}`,
      `recv ${H} ${servers.source}`,
      `get ${H} 1 /`,
      'serve 80 3',
      'quit',
    ];
    const run = await session(guestArgs('lantern.net', `user,id=n0,hostfwd=tcp::${forward}-:80`), commands, 240_000, (transcript) => {
      if (fetching || !transcript.includes('listening=80')) return;
      fetching = (async () => {
        await fetch('/hello');
        await fetch(`/bytes/${8 * MiB}`);
        await fetch('/nothing');
      })();
    });
    await fetching;
    const answer = (command: string) => run.answers.get(command) ?? new Map<string, string>();
    expect(run.status, run.transcript.slice(-3000) + run.stderr).toBe(0);
    expect(run.transcript).toContain('nettool: eth0 up');

    expect(Object.fromEntries(answer(commands[0]))).toMatchObject({ status: '200', body: 'hello from the host', done: 'yes' });
    expect(answer(commands[1]).get('status')).toBe('404');
    expect(answer(commands[2]).get('address')).toBe('127.0.0.1');
    expect(answer(commands[3]).get('reply')).toBe('echo: over udp');

    const parallel = answer(commands[4]);
    expect(parallel.get('ok')).toBe('50');
    expect(parallel.get('sha256')).toBe(createHash('sha256').update(Buffer.concat(Array.from({ length: 50 }, () => pattern(0, 20000)))).digest('hex'));

    // The slow reader took every byte, in order, though the host had to wait for it.
    expect(answer(commands[5]).get('bytes')).toBe(String(SLOW));
    expect(answer(commands[5]).get('sha256')).toBe(patternHash(SLOW));
    expect(servers.slowBlocked).toBeGreaterThan(0);

    // 64 MiB guest → host (hashed here) and host → guest (checked byte by byte in the guest).
    expect(answer(commands[7]).get('sent')).toBe(String(BIG));
    expect(servers.sunk.at(-1)).toEqual({ bytes: BIG, sha256: patternHash(BIG) });
    expect(answer(commands[7]).get('reply')).toBe(`got bytes=${BIG}`);
    expect(Object.fromEntries(answer(commands[8]))).toMatchObject({ bytes: String(BIG), pattern_errors: '0' });

    expect(answer(commands[9]).get('error')).toMatch(/refused/i);

    expect(answer(commands[10]).get('served')).toBe('3');
    expect(fetched.map(({ status, bytes }) => [status, bytes])).toEqual([[200, 21], [200, 8 * MiB], [404, expect.any(Number)]]);
    expect(fetched[0].body).toBe('hello from the guest\n');
    expect(fetched[1].sha256).toBe(patternHash(8 * MiB));
  }, 300_000);

  it('replays a recorded session from its log alone, to the same transcript', async () => {
    const log = path.join(scratch, 'net.rr');
    const commands = [`get 10.0.2.2 ${servers.http} /bytes/300000`, 'resolve localhost', `udp 10.0.2.2 ${servers.udp} again`, 'quit'];
    const args = guestArgs('lantern.net', 'user,id=n0');
    const recorded = await session([...args, '-icount', `shift=3,rr=record,rrfile=${log}`], commands, 120_000);
    expect(recorded.status, recorded.transcript.slice(-2000)).toBe(0);
    expect(recorded.answers.get(commands[0])?.get('sha256')).toBe(patternHash(300000));
    // The log holds every frame the guest received: the 300,000-byte body among them.
    const frames = fs.readFileSync(log, 'utf8').split('\n').filter((line) => line.includes('"nic"'))
      .map((line) => Buffer.from((JSON.parse(line) as { bytes: string }).bytes, 'base64').length);
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.reduce((sum, bytes) => sum + bytes, 0)).toBeGreaterThan(300_000);
    // No servers are asked now: every frame the guest receives comes from the log, at its step.
    const replayed = await session([...args, '-icount', `shift=3,rr=replay,rrfile=${log}`], [], 120_000);
    expect(replayed.status).toBe(0);
    expect(replayed.transcript).toBe(recorded.transcript);
  }, 300_000);
});
