/*
 * Fuzz harness, C half: the M-mode driver. It sets up the machine state every segment
 * depends on (trap vector, no delegation, no interrupt enables, counters closed to S/U,
 * PMP, one Sv39/Sv48 identity map per page-permission variant), runs the generated
 * segments one after the other in their modes, then prints through the HTIF console everything the
 * two emulators must agree on: per segment the trap records, x1..x31 and a few CSRs (with
 * F/D also f0..f31, fcsr and mstatus.FS/SD), and at the end the scratch buffer. Exits
 * through tohost with status 0.
 *
 * Compiled for rv64imac, or rv32imac for the RV32 programs (toolchain.ts): the driver and
 * the trap handler never touch FP state; only start.S's load_float_state and segment exit
 * do, on purpose. On RV32 the tables keep their 8-byte fields (the low word is used),
 * registers print as 8 hex digits, every paging variant is an Sv32 map, and tohost is
 * written low word first, then high word (QEMU acts on the high-word write).
 *
 * The generated program (build/fuzz-<seed>.S) provides the fuzz_* symbols declared below.
 */
#include <stdint.h>
#include "harness.h"

typedef uint64_t u64;
typedef unsigned long ureg; /* XLEN bits */
#define XLEN_DIGITS (__riscv_xlen / 4)

/* One random segment, as laid out by generate.ts (all fields 8 bytes). */
struct segment {
  u64 entry;        /* first instruction */
  u64 exit;         /* the closing ecall */
  u64 mode;         /* privilege: 0 U, 1 S, 3 M */
  u64 paging;       /* 0 = bare, else 1 + index into fuzz_page_variants */
  u64 pmp_guard;    /* 1: scratch page 3 is denied to S/U by pmp entry 0 */
  u64 mstatus_set;  /* extra mstatus bits at entry (SIE, SPIE, MPIE, SPP, SUM, MXR, FS) */
  u64 regs[32];     /* x0..x31 at entry (gp, sp, s0, s1 hold harness pointers) */
  u64 fregs[32];    /* f0..f31 at entry (programs with F/D) */
  u64 fcsr;         /* fcsr at entry: frm << 5 | fflags */
};

/* An identity map of the first 2 MiB of DRAM (see PageVariant in program.ts). */
struct page_variant {
  u64 user;
  u64 levels;            /* 3: Sv39, 4: Sv48 */
  u64 megapage;          /* 1: one 2 MiB leaf, RWX (+U) */
  u64 scratch_flags[4];  /* leaf flags of the scratch pages when mapped with 4 KiB pages */
};

extern const u64 fuzz_seed;
extern const u64 fuzz_float_state; /* 1: the program uses F/D, load and dump FP state */
extern const u64 fuzz_segment_count;
extern const struct segment fuzz_segments[];
extern const u64 fuzz_page_variant_count;
extern const struct page_variant fuzz_page_variants[];
extern const u64 fuzz_constants[32];
extern uint8_t fuzz_scratch[];
extern const u64 fuzz_scratch_bytes;
extern u64 fuzz_records[];
extern u64 fuzz_records_end[];
extern u64 fuzz_regout[];
extern u64 fuzz_trap_counts[];
extern char image_end[];
extern volatile u64 tohost;

void enter_segment(const u64 regs[32]);
void load_float_state(const u64 fregs[32], ureg fcsr);

/* The block gp points at while random code runs (layout in harness.h). */
u64 harness_state[HS_SIZE / 8] __attribute__((aligned(64)));

#define DRAM_BASE      0x80000000ull
#define MAPPED_BYTES   (2ull << 20)   /* one level-0 table: 512 pages */
#define MAX_VARIANTS   16

/* Sv39/Sv48 PTE bits (privileged spec 4.4.1). A and D are always preset: whether hardware
   updates them or faults (Svade) is the implementation's choice, so the fuzz avoids it. */
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80

/* mstatus fields (privileged spec 3.1.6). */
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_XL_MASK   (0xfull << 32)   /* UXL and SXL: preserved, never written */

#if __riscv_xlen == 64
static u64 page_tables[MAX_VARIANTS][4][512] __attribute__((aligned(4096)));
#else
/* Sv32: [0] root (VPN[1]), [1] the 4 KiB-page table of the 4 MiB from DRAM_BASE. */
static uint32_t page_tables[MAX_VARIANTS][2][1024] __attribute__((aligned(4096)));
#endif

#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((ureg)(v)) : "memory")
#define csr_read(csr) ({ ureg v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_) : : "memory"); v_; })

/* ---- HTIF console: device 1, command 1; wait for tohost to read 0 before the next. ---- */

static void htif_write(u64 v) {
#if __riscv_xlen == 32
  volatile uint32_t *word = (volatile uint32_t *)&tohost;
  word[0] = (uint32_t)v;
  word[1] = (uint32_t)(v >> 32);
#else
  tohost = v;
#endif
}

static int htif_busy(void) {
#if __riscv_xlen == 32
  volatile uint32_t *word = (volatile uint32_t *)&tohost;
  return (word[0] | word[1]) != 0;
#else
  return tohost != 0;
#endif
}

static void put_char(char c) {
  htif_write((1ull << 56) | (1ull << 48) | (uint8_t)c);
  while (htif_busy()) {
  }
}

static void put_str(const char *s) {
  while (*s) put_char(*s++);
}

static void put_hex(ureg v, int digits) {
  for (int i = digits - 1; i >= 0; i--) put_char("0123456789abcdef"[(v >> (4 * i)) & 15]);
}

static void put_dec(ureg v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) put_char(buf[--n]);
}

/* A 64-bit value (f registers, scratch doublewords) as 16 hex digits on either XLEN. */
static void put_hex64(u64 v) {
#if __riscv_xlen == 32
  put_hex((ureg)(v >> 32), 8);
  put_hex((ureg)v, 8);
#else
  put_hex(v, 16);
#endif
}

static void __attribute__((noreturn)) power_off(u64 status) {
  htif_write((status << 1) | 1);
  for (;;) {
  }
}

void harness_overflow(ureg cause, ureg pc) {
  put_str("\nFATAL trap buffer overflow, last mcause ");
  put_hex(cause, XLEN_DIGITS);
  put_str(" mepc ");
  put_hex(pc, XLEN_DIGITS);
  put_char('\n');
  power_off(2);
}

/* ---- machine setup ---- */

#if __riscv_xlen == 64
static u64 pointer_pte(const u64 *table) {
  return (((u64)table >> 12) << 10) | PTE_V;
}

/* Tables of a variant: [0] root, then one table per level down to 4 KiB pages. */
static void build_page_tables(void) {
  u64 scratch = (u64)fuzz_scratch;
  for (u64 v = 0; v < fuzz_page_variant_count && v < MAX_VARIANTS; v++) {
    const struct page_variant *pv = &fuzz_page_variants[v];
    u64 (*t)[512] = page_tables[v];
    u64 leaf = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | (pv->user ? PTE_U : 0);
    for (int l = 0; l < 4; l++)
      for (int i = 0; i < 512; i++) t[l][i] = 0;
    /* VA 0x80000000: Sv39 VPN[2] = 2; Sv48 VPN[3] = 0, VPN[2] = 2; then VPN[1] = 0. */
    u64 *l1;
    if (pv->levels == 4) {
      t[0][0] = pointer_pte(t[1]);
      t[1][2] = pointer_pte(t[2]);
      l1 = t[2];
    } else {
      t[0][2] = pointer_pte(t[1]);
      l1 = t[1];
    }
    if (pv->megapage) {
      l1[0] = ((DRAM_BASE >> 12) << 10) | leaf;
      continue;
    }
    u64 *l0 = t[3];
    l1[0] = pointer_pte(l0);
    for (int i = 0; i < 512; i++) {
      u64 pa = DRAM_BASE + ((u64)i << 12);
      u64 flags = leaf;
      if (pa >= scratch && pa < scratch + 4 * 4096) flags = pv->scratch_flags[(pa - scratch) >> 12];
      l0[i] = ((pa >> 12) << 10) | flags;
    }
  }
}
#else
/* RV32: every variant is an Sv32 map (its `levels` is ignored): VA 0x80000000 has
   VPN[1] = 0x200; a megapage variant maps one 4 MiB leaf there. */
static void build_page_tables(void) {
  uint32_t scratch = (uintptr_t)fuzz_scratch;
  for (u64 v = 0; v < fuzz_page_variant_count && v < MAX_VARIANTS; v++) {
    const struct page_variant *pv = &fuzz_page_variants[v];
    uint32_t (*t)[1024] = page_tables[v];
    uint32_t leaf = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | (pv->user ? PTE_U : 0);
    for (int l = 0; l < 2; l++)
      for (int i = 0; i < 1024; i++) t[l][i] = 0;
    if (pv->megapage) {
      t[0][0x200] = (uint32_t)((DRAM_BASE >> 12) << 10) | leaf;
      continue;
    }
    t[0][0x200] = (((uintptr_t)t[1] >> 12) << 10) | PTE_V;
    for (int i = 0; i < 1024; i++) {
      uint32_t pa = (uint32_t)DRAM_BASE + ((uint32_t)i << 12);
      uint32_t flags = leaf;
      if (pa >= scratch && pa < scratch + 4 * 4096) flags = (uint32_t)pv->scratch_flags[(pa - scratch) >> 12];
      t[1][i] = ((pa >> 12) << 10) | flags;
    }
  }
}
#endif

static void setup_machine(void) {
  csr_write(mie, 0);
  csr_write(mideleg, 0);
  csr_write(medeleg, 0);
  csr_write(mcounteren, 0);
  csr_write(scounteren, 0);
  csr_write(stvec, DRAM_BASE);
  csr_write(satp, 0);
  csr_write(mscratch, 0);
  csr_write(sscratch, 0);
  csr_write(sepc, 0);
  csr_write(scause, 0);
  csr_write(stval, 0);
  /* pmp entry 1: NAPOT over all of memory, RWX. Entry 0 is set per segment. */
  csr_write(pmpaddr0, ((uintptr_t)fuzz_scratch + 3 * 4096) >> 2 | 0x1ff);
#if __riscv_xlen == 32
  csr_write(pmpaddr1, 0xffffffffu); /* NAPOT over the whole 34-bit physical space */
#else
  csr_write(pmpaddr1, 0x3fffffffffffffull);
#endif
  csr_write(pmpcfg0, 0x1full << 8);
  for (int i = 0; i < 32; i++) harness_state[HS_CONST / 8 + i] = fuzz_constants[i];
  harness_state[HS_SINK / 8] = 0;
  harness_state[HS_REC / 8] = (uintptr_t)fuzz_records;
  harness_state[HS_REC_END / 8] = (uintptr_t)fuzz_records_end;
  build_page_tables();
}

static void run_segment(u64 index) {
  const struct segment *seg = &fuzz_segments[index];
#if __riscv_xlen == 32
  ureg status = ((ureg)seg->mode << MSTATUS_MPP_SHIFT) | (ureg)seg->mstatus_set;
#else
  u64 status = csr_read(mstatus) & MSTATUS_XL_MASK;
  status |= (seg->mode << MSTATUS_MPP_SHIFT) | seg->mstatus_set;
#endif
  if (fuzz_float_state) {
    /* FS = Dirty while the state is written, then the segment's own FS: changing FS
       leaves the registers as they are (privileged spec 3.1.6.6). */
    csr_write(mstatus, status | MSTATUS_FS_DIRTY);
    load_float_state(seg->fregs, (ureg)seg->fcsr);
  }
  csr_write(mstatus, status);
#if __riscv_xlen == 32
  if (seg->paging && seg->mode != 3)
    csr_write(satp, (1ul << 31) | ((uintptr_t)page_tables[seg->paging - 1][0] >> 12)); /* Sv32 */
  else
    csr_write(satp, 0);
#else
  if (seg->paging && seg->mode != 3) {
    u64 root = (u64)page_tables[seg->paging - 1][0];
    u64 mode = fuzz_page_variants[seg->paging - 1].levels == 4 ? 9 : 8; /* Sv48 : Sv39 */
    csr_write(satp, (mode << 60) | (root >> 12));
  } else {
    csr_write(satp, 0);
  }
#endif
  csr_write(pmpcfg0, (0x1full << 8) | (seg->pmp_guard ? 0x18 : 0));
  __asm__ volatile("sfence.vma" : : : "memory");
  csr_write(mepc, seg->entry);
  harness_state[HS_EXIT / 8] = seg->exit;
  harness_state[HS_BASE / 8] = seg->entry;
  harness_state[HS_COUNT / 8] = 0;
  harness_state[HS_REGOUT / 8] = (uintptr_t)&fuzz_regout[index * REGOUT_WORDS];
  enter_segment(seg->regs);
  fuzz_trap_counts[index] = harness_state[HS_COUNT / 8];
}

/* ---- the dump both emulators must print identically ---- */

static const char *const mode_names[4] = {"U", "S", "?", "M"};
static const char *const csr_names[4] = {"mstatus", "mscratch", "sscratch", "sepc"};

/* f0..f31, then mstatus.FS and SD as the segment left them, and fcsr's two fields. */
static void print_float_state(const u64 *out) {
  for (int r = 0; r < 32; r++) {
    put_str("f");
    put_dec((u64)r);
    put_str(r < 10 ? "  " : " ");
    put_hex64(out[REGOUT_FREGS + r]);
    put_char('\n');
  }
  ureg status = (ureg)out[REGOUT_CSRS];
  ureg fcsr = (ureg)out[REGOUT_FCSR];
  put_str("fp fs ");
  put_dec((status >> 13) & 3);
  put_str(" sd ");
  put_dec(status >> (__riscv_xlen - 1));
  put_str(" frm ");
  put_dec((fcsr >> 5) & 7);
  put_str(" fflags ");
  put_hex(fcsr & 31, 2);
  put_char('\n');
}

static void print_results(void) {
  const u64 *rec = fuzz_records;
  put_str("fuzz seed ");
  put_hex64(fuzz_seed);
  put_str(" segments ");
  put_dec((ureg)fuzz_segment_count);
  put_char('\n');
  for (u64 s = 0; s < fuzz_segment_count; s++) {
    const struct segment *seg = &fuzz_segments[s];
    put_str("seg ");
    put_dec(s);
    put_str(" mode ");
    put_str(mode_names[seg->mode & 3]);
    put_str(" paging ");
    put_dec((ureg)seg->paging);
    put_str(" traps ");
    put_dec((ureg)fuzz_trap_counts[s]);
    put_char('\n');
    for (u64 t = 0; t < fuzz_trap_counts[s]; t++, rec += 3) {
      put_str("trap ");
      put_dec(s);
      put_str(" pc +");
      put_hex((ureg)rec[2], 5);
      put_str(" cause ");
      put_hex((ureg)rec[0], XLEN_DIGITS);
      put_str(" tval ");
      put_hex((ureg)rec[1], XLEN_DIGITS);
      put_char('\n');
    }
    const u64 *out = &fuzz_regout[s * REGOUT_WORDS];
    for (int r = 1; r < 32; r++) {
      put_str("x");
      put_dec((u64)r);
      put_str(r < 10 ? "  " : " ");
      put_hex((ureg)out[r], XLEN_DIGITS);
      put_char('\n');
    }
    for (int c = 0; c < 4; c++) {
      put_str(csr_names[c]);
      put_char(' ');
      put_hex((ureg)out[REGOUT_CSRS + c], XLEN_DIGITS);
      put_char('\n');
    }
    if (fuzz_float_state) print_float_state(out);
  }
  for (u64 off = 0; off < fuzz_scratch_bytes; off += 32) {
    put_str("mem +");
    put_hex(off, 4);
    put_char(' ');
    for (int i = 0; i < 32; i += 8) {
      u64 v = 0;
      for (int b = 7; b >= 0; b--) v = (v << 8) | fuzz_scratch[off + i + b];
      put_hex64(v);
      put_char(i == 24 ? '\n' : ' ');
    }
  }
  put_str("end\n");
}

void harness_main(void) {
  if ((uintptr_t)image_end - DRAM_BASE > MAPPED_BYTES) {
    put_str("FATAL image larger than the 2 MiB identity map\n");
    power_off(3);
  }
  setup_machine();
  for (u64 s = 0; s < fuzz_segment_count; s++) run_segment(s);
  print_results();
  power_off(0);
}
