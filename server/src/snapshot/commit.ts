// The monitor's `commit DEVICE|all` (QEMU's name): writes a disk's copy-on-write overlay back
// into its base image and empties the overlay, which stays active. Under -snapshot too, as
// QEMU's does. A snapshot saved before a commit no longer loads: its base image changed.
import type { AttachedDisk, Machine } from '../machine/machine';

/** Commits `device` (a -drive id or a transport name such as virtio7), or every disk with an overlay; throws an Error with one line. */
export function commitDisks(machine: Machine, device: string): void {
  const disks = machine.attachedDisks();
  if (device === 'all') {
    for (const disk of disks) if (!disk.readOnly && disk.copyOnWrite?.active) commitOne(disk, disk.copyOnWrite.drive);
    return;
  }
  const disk = disks.find((d) => d.copyOnWrite?.drive === device) ?? disks.find((d) => d.name === device);
  if (!disk) throw new Error(`Device '${device}' not found`);
  if (disk.readOnly) throw new Error(`Device '${device}' is read-only: it has no overlay to commit`);
  if (!disk.copyOnWrite?.active) {
    throw new Error(`Device '${device}' has no overlay: its writes go to the image already (overlays start at the first savevm, or with -snapshot)`);
  }
  commitOne(disk, device);
}

function commitOne(disk: AttachedDisk, device: string): void {
  try {
    disk.copyOnWrite!.commit();
  } catch (error) {
    throw new Error(`'commit' error for '${device}': ${(error as Error).message}`);
  }
}
