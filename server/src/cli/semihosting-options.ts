// `-semihosting` and `-semihosting-config [enable=on|off][,target=native|auto][,userspace=on|off][,arg=str[,...]]`
// as QEMU 7.2 reads them (semihosting/config.c), and SYS_GET_CMDLINE's command line.
import { UsageError } from './options';

/** What the run needs: whether U-mode may call, and the guest's command line. */
export interface SemihostingOptions {
  readonly userspace: boolean;
  readonly commandLine: string;
}

const BOOLEANS: Record<string, boolean> = { on: true, yes: true, true: true, y: true, off: false, no: false, false: false, n: false };

/**
 * Semihosting for a run, undefined when off: `-semihosting` turns it on, each
 * `-semihosting-config` sets it anew (enable defaults to on) and adds its arg= words. Without
 * arg=, QEMU's command line is the kernel's name and the -append words (semihosting_arg_fallback).
 */
export function parseSemihosting(
  flag: boolean,
  configs: readonly string[],
  fallback: { kernel?: string; append?: string },
): SemihostingOptions | undefined {
  let enabled = flag;
  let userspace = false;
  const args: string[] = [];
  for (const spec of configs) {
    enabled = true;
    userspace = false;
    for (const [index, part] of splitOptions(spec).entries()) {
      // QEMU's implied option name: a first part without '=' is enable's value.
      const [key, value] = part.includes('=') ? [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] : index === 0 ? ['enable', part] : [part, ''];
      const flagValue = () => {
        const parsed = BOOLEANS[value];
        if (parsed === undefined) throw new UsageError(`-semihosting-config ${spec}: ${key} takes on or off`);
        return parsed;
      };
      switch (key) {
        case 'enable': enabled = flagValue(); break;
        case 'userspace': userspace = flagValue(); break;
        case 'arg': args.push(value); break;
        case 'target':
          if (value === 'native' || value === 'auto') break; // auto is native without a debugger
          if (value === 'gdb') throw new UsageError(`-semihosting-config ${spec}: target=gdb (calls carried out by the debugger over gdb's File-I/O protocol) is not supported; target=native or auto carries them out in Lantern`);
          throw new UsageError(`-semihosting-config ${spec}: unsupported target '${value}' (native or auto)`);
        case 'chardev':
          throw new UsageError(`-semihosting-config ${spec}: chardev= is not supported (output goes to the serial console)`);
        default:
          throw new UsageError(`-semihosting-config ${spec}: unknown setting '${key}'`);
      }
    }
  }
  if (!enabled) return undefined;
  const words = args.length > 0 ? args : [fallback.kernel ?? '', ...(fallback.append ?? '').split(' ').filter((word) => word !== '')];
  return { userspace, commandLine: words.join(' ') };
}

/** QEMU's option list: parts split at commas, a doubled comma standing for one. */
function splitOptions(spec: string): string[] {
  const parts = [''];
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] !== ',') parts[parts.length - 1] += spec[i];
    else if (spec[i + 1] === ',') parts[parts.length - 1] += spec[i++];
    else parts.push('');
  }
  return parts;
}
