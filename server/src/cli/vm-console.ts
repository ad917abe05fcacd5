// `lantern console NAME`: the terminal attached to a server-managed VM's console. Output is
// followed by polling console-read; typed bytes go out with console-write in order; Ctrl-]
// detaches (as telnet and virsh console), every other byte, Ctrl-C included, is the guest's.
import { ServerError, type ServerClient } from '../vmm/client';

const CTRL_RIGHT_BRACKET = 0x1d;
/** Polling pace: at once while output flows, then backing off to this (ms) while idle. */
const POLL_IDLE_MS = 100;
const POLL_BUSY_MS = 20;
/** How often (in idle polls) to look whether the VM still runs. */
const STATE_CHECK_EVERY = 10;

export interface ConsoleStreams {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly output: NodeJS.WritableStream;
  readonly messages: NodeJS.WritableStream;
}

/** Follows the console until Ctrl-], a signal, or the VM stopping; returns the exit status. */
export async function attachConsole(client: ServerClient, name: string, streams: ConsoleStreams): Promise<number> {
  const { input, output, messages } = streams;
  // A created VM has no console yet; ask once so the user hears it plainly.
  const first = await client.request({ op: 'console-read', name, from: 0 });
  let from = first.next;
  output.write(Buffer.from(first.text, 'latin1'));
  messages.write(`lantern: attached to ${name}'s console; Ctrl-] detaches\n`);

  let detached = false;
  let wake: (() => void) | undefined;
  const detach = () => {
    detached = true;
    wake?.();
  };
  let sending: Promise<unknown> = Promise.resolve();
  const send = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    const text = bytes.toString('latin1');
    sending = sending.then(() => client.request({ op: 'console-write', name, text })).catch((error: unknown) => {
      messages.write(`lantern: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const escape = bytes.indexOf(CTRL_RIGHT_BRACKET);
    if (escape < 0) return send(bytes);
    send(bytes.subarray(0, escape));
    detach();
  };
  const raw = Boolean(input.isTTY && input.setRawMode);
  if (raw) input.setRawMode!(true);
  const restore = () => {
    if (raw) input.setRawMode!(false);
  };
  process.on('exit', restore);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, detach);
  input.on('data', onData);
  input.resume();

  let status = 0;
  try {
    let idle = 0;
    while (!detached) {
      let chunk: { text: string; next: number };
      try {
        chunk = await client.request({ op: 'console-read', name, from });
      } catch (error) {
        if (error instanceof ServerError && error.code === 'no-such-vm') {
          messages.write(`\r\nlantern: ${name} was deleted\n`);
          status = 1;
          break;
        }
        throw error;
      }
      if (chunk.text.length > 0) {
        output.write(Buffer.from(chunk.text, 'latin1'));
        idle = 0;
      }
      from = chunk.next;
      if (chunk.text.length === 0 && ++idle % STATE_CHECK_EVERY === 0) {
        const info = await client.request({ op: 'inspect', name });
        if (info.state === 'stopped' || info.state === 'failed') {
          // What it printed last, then why it ended.
          const rest = await client.request({ op: 'console-read', name, from });
          output.write(Buffer.from(rest.text, 'latin1'));
          const why = info.state === 'failed' ? `failed: ${info.error ?? 'unknown error'}` : `stopped${info.exitStatus === undefined ? '' : ` (exit status ${info.exitStatus})`}`;
          messages.write(`\r\nlantern: ${name} ${why}\n`);
          break;
        }
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, chunk.text.length > 0 ? POLL_BUSY_MS : POLL_IDLE_MS);
      });
      wake = undefined;
    }
    await sending;
    if (detached) messages.write(`\r\nlantern: detached from ${name}\n`);
  } finally {
    input.off('data', onData);
    input.pause();
    for (const signal of signals) process.off(signal, detach);
    restore();
    process.off('exit', restore);
  }
  return status;
}
