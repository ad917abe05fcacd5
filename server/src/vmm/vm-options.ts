// A server VM's command line: the CLI's QEMU-style flags (cli/options.ts), less those the server
// decides itself (where the GDB stub listens) or that need the server's own terminal. Parsed
// once by the manager when the VM is created (to refuse it at once, and for its RAM and harts)
// and again by its worker, which builds the machine from it.
import { UsageError, parseArguments, type RunOptions } from '../cli/options';
import { tracing } from '../machine/trace';

/** The run options of a VM's `args`; a UsageError (one line) says why they are refused. */
export function parseVmArguments(args: readonly string[]): RunOptions {
  const invocation = parseArguments(args);
  if (invocation.kind !== 'run') throw new UsageError('the arguments ask for no machine (-help, -version or dumpdtb=)');
  const options = invocation.options;
  if (options.gdb !== undefined) {
    throw new UsageError('-gdb and -s are not for a server VM: the server opens its GDB stub on a free port (inspect shows gdbPort)');
  }
  if ((tracing(options.trace) || options.trace.net) && options.traceFile === undefined) {
    throw new UsageError('-d would log to the server\'s stderr: give -D FILE too');
  }
  return options;
}
