// The one-wire interface between interrupt producers and consumers: a device's line to the
// board's interrupt controller (a PLIC source on virt), or a PLIC context's line to a hart.

/** A level-sensitive interrupt wire: the driver holds it high until the cause is gone. */
export interface IrqLine {
  set(level: boolean): void;
}

/** A line that goes nowhere (a device built without an interrupt controller). */
export const UNCONNECTED: IrqLine = { set() {} };
