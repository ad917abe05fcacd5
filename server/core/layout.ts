// Fixed byte offsets of the core's state in wasm linear memory, shared by the AssemblyScript
// core and the TypeScript host (plain numeric constants compile under both).

// Machine-wide slots (0x800..0xfff).
export const CLOCK_STEPS = 0x800; // u64: steps taken by all harts since reset; drives mtime
export const STOP_ARG = 0x808; // u64: extra data of the last stop (watchpoint address, trap cause)
export const MMIO_HI = 0x810; // u32: high half of an 8-byte MMIO read, written by the host
export const MMIO_FAULT = 0x814; // u32: host sets 1 when an MMIO read hit no device
export const RAM_SIZE = 0x818; // u64: bytes of guest RAM (set once by the host)
export const TIME_SHIFT = 0x820; // u32: icount shift: one step lasts 2^shift ns (default 3)
export const STEPS_DONE = 0x828; // u64: steps executed by the last run()
export const WATCH_COUNT = 0x830; // u32: live entries in the watch table
export const BREAK_COUNT = 0x834; // u32: live entries in the breakpoint table
export const DEBUG_STATUS = 0x838; // u32: 0 after a successful csrRead/csrWrite export call, 1 if no such CSR
export const XLEN = 0x83c; // u32: 32 or 64 (0 reads as 64), set by the host before init(); init() sets misa.MXL from it
export const DEBUG_FLAGS = 0x840; // u32: DEBUG_* bits a debugger sets around a run
export const CATCH_EXCEPTIONS = 0x848; // u64: bit n set = stop (STOP_TRAP) after taking exception cause n
export const CATCH_INTERRUPTS = 0x850; // u64: bit n set = stop (STOP_TRAP) after taking interrupt n
export const DEBUG_NO_INTERRUPTS = 1; // DEBUG_FLAGS: take no interrupt (a debugger's single step, as QEMU's SSTEP_NOIRQ)
export const DEBUG_RESUME = 2; // DEBUG_FLAGS: resuming from a stop: the run's first step executes even on a breakpoint or watched access

// The active hart's architectural state (0x1000..0x1fff). Other harts are parked in
// HART_SLOTS and swapped in around their quantum (the hot path uses constant offsets).
export const HART = 0x1000;
export const HART_X = HART + 0x000; // x0..x31, 8 bytes each
export const HART_F = HART + 0x100; // f0..f31, 8 bytes each (NaN-boxed singles)
export const HART_PC = HART + 0x200;
export const HART_PRIV = HART + 0x208; // u32: 0 = U, 1 = S, 3 = M
export const HART_FCSR = HART + 0x20c; // u32
export const HART_RES_ADDR = HART + 0x210; // u64: LR reservation address
export const HART_RES_VALID = HART + 0x218; // u32
export const HART_WFI = HART + 0x21c; // u32: 1 while waiting for an interrupt
export const HART_ID = HART + 0x220; // u64: mhartid
export const HART_INSTRET = HART + 0x228; // u64: instructions retired (minstret)
export const HART_CYCLE = HART + 0x230; // u64: cycles (mcycle; one per step)
export const HART_TRAPS = HART + 0x238; // u64: traps taken (exceptions and interrupts)
export const HART_LAST_CAUSE = HART + 0x240; // u64: cause of the last trap (interrupt bit 63)
export const HART_LAST_TVAL = HART + 0x248; // u64: tval of the last trap
export const HART_LAST_EPC = HART + 0x250; // u64: pc the last trap was taken at
export const HART_LAST_TARGET = HART + 0x258; // u32: privilege the last trap went to
export const HART_MIP_HW = HART + 0x260; // u64: mip bits driven by devices and timers (MSIP, MTIP, SEIP, MEIP, Sstc STIP)
// Control and status registers with storage (privileged spec 1.12), 8 bytes each.
export const CSR_MSTATUS = HART + 0x300;
export const CSR_MISA = HART + 0x308;
export const CSR_MEDELEG = HART + 0x310;
export const CSR_MIDELEG = HART + 0x318;
export const CSR_MIE = HART + 0x320;
export const CSR_MTVEC = HART + 0x328;
export const CSR_MCOUNTEREN = HART + 0x330;
export const CSR_MSCRATCH = HART + 0x338;
export const CSR_MEPC = HART + 0x340;
export const CSR_MCAUSE = HART + 0x348;
export const CSR_MTVAL = HART + 0x350;
export const CSR_MIP = HART + 0x358;
export const CSR_STVEC = HART + 0x360;
export const CSR_SCOUNTEREN = HART + 0x368;
export const CSR_SSCRATCH = HART + 0x370;
export const CSR_SEPC = HART + 0x378;
export const CSR_SCAUSE = HART + 0x380;
export const CSR_STVAL = HART + 0x388;
export const CSR_SATP = HART + 0x390;
export const CSR_MENVCFG = HART + 0x398;
export const CSR_SENVCFG = HART + 0x3a0;
export const CSR_MCOUNTINHIBIT = HART + 0x3a8;
export const CSR_STIMECMP = HART + 0x3b0;
export const CSR_MTIMECMP = HART + 0x3b8; // the CLINT's mtimecmp for this hart (memory-mapped)
export const CSR_MSECCFG = HART + 0x3c0;
export const CSR_PMPCFG = HART + 0x400; // 16 one-byte pmpNcfg fields
export const CSR_PMPADDR = HART + 0x480; // 16 pmpaddrN, 8 bytes each
export const HART_STATE_SIZE = 0x1000;

// Software TLB (0x2000..0x7fff): three sets of 256 direct-mapped entries, one set per
// effective privilege (U, S, M). Entry: tag for loads, tag for stores, tag for fetches
// (each the page address, or all ones), and the addend from guest virtual to host address.
export const TLB = 0x2000;
export const TLB_ENTRIES = 256;
export const TLB_ENTRY_SIZE = 32;
export const TLB_SET_SIZE = TLB_ENTRIES * TLB_ENTRY_SIZE; // 0x2000
export const TLB_SIZE = 3 * TLB_SET_SIZE;

// Parked harts for SMP: 8 slots of state + TLB.
export const HART_SLOTS = 0x10000;
export const HART_SLOT_SIZE = HART_STATE_SIZE + TLB_SIZE; // 0x7000
export const MAX_HARTS = 8;

// Breakpoint table: up to 256 guest virtual PCs, 8 bytes each.
export const BREAK_TABLE = 0x50000;
export const MAX_BREAKPOINTS = 256;
// Watch table: up to 64 entries of {start u64, end u64 (exclusive), flags u64}.
export const WATCH_TABLE = 0x51000;
export const WATCH_ENTRY_SIZE = 24;
export const MAX_WATCHES = 64;
export const WATCH_READ = 1; // stop before a load (or an AMO, LR) touches the range, with nothing done (a debugger's)
export const WATCH_WRITE = 2; // stop before a store (or an AMO, SC) touches the range; WATCH_PHYSICAL ones stop after it
export const WATCH_PHYSICAL = 4; // range is physical (HTIF tohost), not virtual
export const WATCH_HOST = 8; // a host hook (HTIF), reported as STOP_HOST_WATCH

// Dirty-page bitmap of guest RAM: one bit per 4 KiB page, up to 4 GiB of RAM.
export const DIRTY_BITMAP = 0x60000;
export const DIRTY_BITMAP_SIZE = 0x20000;

// Guest RAM (guest physical RAM_GUEST_BASE) starts here in linear memory.
export const RAM_HOST = 0x400000;
export const RAM_GUEST_BASE_LO = 0x80000000; // guest physical base of RAM (QEMU virt, spike)

// Why run() returned.
export const STOP_BUDGET = 0; // executed the whole budget
export const STOP_WFI = 1; // the hart waits for an interrupt (no step taken for the wfi wait)
export const STOP_BREAKPOINT = 2; // pc is on a breakpoint; the instruction there has not run
export const STOP_WATCH_READ = 3; // a load would touch a watched range (STOP_ARG = address); pc is still on it
export const STOP_WATCH_WRITE = 4; // a store would touch a watched range (STOP_ARG = address); pc is still on it
export const STOP_HOST = 5; // an MMIO write asked the host to look (power-off, reset)
export const STOP_HOST_WATCH = 6; // a store touched a host-watched physical range (HTIF)
export const STOP_TRAP = 7; // took a trap CATCH_* asked for; pc is the handler's (STOP_ARG = cause, bit 63 = interrupt)

// Trap causes (privileged spec 1.12, table 3.6).
export const CAUSE_MISALIGNED_FETCH = 0;
export const CAUSE_FETCH_ACCESS = 1;
export const CAUSE_ILLEGAL_INSTRUCTION = 2;
export const CAUSE_BREAKPOINT = 3;
export const CAUSE_MISALIGNED_LOAD = 4;
export const CAUSE_LOAD_ACCESS = 5;
export const CAUSE_MISALIGNED_STORE = 6;
export const CAUSE_STORE_ACCESS = 7;
export const CAUSE_ECALL_U = 8;
export const CAUSE_ECALL_S = 9;
export const CAUSE_ECALL_M = 11;
export const CAUSE_FETCH_PAGE_FAULT = 12;
export const CAUSE_LOAD_PAGE_FAULT = 13;
export const CAUSE_STORE_PAGE_FAULT = 15;

// Interrupt pending/enable bits (mip/mie).
export const MIP_SSIP = 1 << 1;
export const MIP_MSIP = 1 << 3;
export const MIP_STIP = 1 << 5;
export const MIP_MTIP = 1 << 7;
export const MIP_SEIP = 1 << 9;
export const MIP_MEIP = 1 << 11;
