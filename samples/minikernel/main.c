/*
 * The minikernel's life on every hart: M-mode setup (PMP, delegation, the CLINT timer and
 * Sstc), then S-mode with Sv39, where the harts meet at barriers, share a spinlock, take
 * timer interrupts both ways, and hart 0 alone drives the disk, runs the user program and
 * echoes a typed line before powering off. Lines a hart prints on its own are marked
 * "hart N:" and come in any order; everything else is printed by hart 0 after a barrier.
 */
#include "kernel.h"

u8 kernel_stacks[MAX_HARTS][1 << 14] __attribute__((aligned(16)));
static u8 m_stacks[MAX_HARTS][1024] __attribute__((aligned(16)));
struct m_scratch m_scratch[MAX_HARTS];
static struct trapframe trapframes[MAX_HARTS];

/* Sv39 (privileged spec 4.4): three gigapages, so the root table is the only table. */
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define GIGAPAGE(pa, flags) ((((u64)(pa)) >> 12) << 10 | (flags) | PTE_V | PTE_A | PTE_D)
#define USER_BASE 0x100000000UL     /* the user's view of RAM at 0x80000000 */
#define USER_OFFSET (USER_BASE - 0x80000000UL)
static u64 root_table[512] __attribute__((aligned(PAGE_SIZE)));

static u32 hart_count = 1;
static volatile u32 barrier_arrivals;
static u32 locked_counter;
static struct spinlock counter_lock;
#define LOCK_ITERATIONS 1000

u64 hart_id(void)
{
    u64 id;
    __asm__ volatile("mv %0, tp" : "=r"(id));
    return id;
}

static u32 be32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }

/* Counts the /cpus/cpu@N nodes of the flattened device tree (devicetree spec 5.4). */
static u32 count_cpus(const u8 *fdt)
{
    if (!fdt || be32(fdt) != 0xd00dfeed)
        return 1;
    const u8 *p = fdt + be32(fdt + 8);
    u32 cpus = 0;
    for (;;) {
        u32 token = be32(p);
        p += 4;
        if (token == 1) {                   /* FDT_BEGIN_NODE: a name, padded to 4 */
            const char *name = (const char *)p;
            if (name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && name[3] == '@')
                cpus++;
            u32 len = 0;
            while (name[len])
                len++;
            p += (len + 4) & ~3U;
        } else if (token == 3) {            /* FDT_PROP: length, name offset, value */
            p += 8 + ((be32(p) + 3) & ~3U);
        } else if (token == 9) {            /* FDT_END */
            break;
        }
    }
    return cpus ? cpus : 1;
}

/* Waits until every hart has arrived at barrier number `round` (1, 2, ...). */
static void barrier(u32 round)
{
    __atomic_fetch_add(&barrier_arrivals, 1, __ATOMIC_ACQ_REL);
    while (barrier_arrivals < round * hart_count)
        ;
}

static void s_main(u64 hart);

void m_fatal(u64 cause, u64 epc, u64 tval)
{
    printf("M-mode trap: mcause %lx mepc %lx mtval %lx\n", cause, epc, tval);
    poweroff();
}

/* In M-mode, on every hart: configure the machine, then mret into s_main in S-mode. */
void m_boot(u64 hart, const u8 *fdt)
{
    __asm__ volatile("mv tp, %0" :: "r"(hart));
    /* PMP (3.7): entry 0 is TOR (A=1) from 0 up to 2^56, RWX, so S and U may use everything. */
    csr_write(pmpaddr0, 0x3fffffffffffffUL);
    csr_write(pmpcfg0, 0xf);
    csr_write(medeleg, 0xffff);
    csr_write(mideleg, 0xffff);
    csr_write(mcounteren, 7);               /* S may read cycle, time and instret */
    csr_set(MENVCFG, MENVCFG_STCE);           /* menvcfg: S-mode owns stimecmp (Sstc) */
    csr_write(STIMECMP, -1UL);                 /* stimecmp: no supervisor timer yet */

    struct m_scratch *scratch = &m_scratch[hart];
    scratch->mtimecmp = CLINT_MTIMECMP(hart);
    scratch->stack = (u64)&m_stacks[hart + 1];
    csr_write(mscratch, scratch);
    csr_write(mtvec, m_trap_vector);
    mmio_write64(CLINT_MTIMECMP(hart), -1UL);
    csr_write(mie, 1UL << IRQ_MTI);
    csr_set(mstatus, MSTATUS_MIE);

    if (hart == 0) {
        uart_init();
        hart_count = count_cpus(fdt);
        printf("minikernel: M-mode on hart 0, %u hart%s\n", hart_count, hart_count == 1 ? "" : "s");
        root_table[0] = GIGAPAGE(0, PTE_R | PTE_W);                        /* devices */
        root_table[2] = GIGAPAGE(0x80000000UL, PTE_R | PTE_W | PTE_X);     /* kernel */
        root_table[USER_BASE >> 30] = GIGAPAGE(0x80000000UL, PTE_R | PTE_W | PTE_X | PTE_U);
        printf("pmp: pmpaddr0 %lx pmpcfg0 %lx\n", csr_read(pmpaddr0), csr_read(pmpcfg0) & 0xff);
        printf("menvcfg.STCE %lu\n", csr_read(MENVCFG) >> 63);
        __asm__ volatile("fence rw, w" ::: "memory");
        extern volatile u32 boot_ready;
        boot_ready = 1;
    }

    u64 mstatus = csr_read(mstatus);
    mstatus = (mstatus & ~(3UL << 11)) | MSTATUS_MPP_S;
    csr_write(mstatus, mstatus);
    csr_write(mepc, s_main);
    __asm__ volatile("mv a0, %0; mret" :: "r"(hart) : "a0");
    __builtin_unreachable();
}

/* The kernel's trap handler (trap.S s_trap_vector), for traps from S- and U-mode. */
void kernel_trap(struct trapframe *frame, u64 cause)
{
    if ((long)cause < 0) {
        u64 code = cause & 0xff;
        if (code == IRQ_SSI || code == IRQ_STI) {
            timer_interrupt(code);
        } else if (code == IRQ_SEI) {
            u64 context = 2 * hart_id() + 1;        /* the hart's S-mode PLIC context */
            uptr claim = PLIC_BASE + 0x200004 + 0x1000 * context;
            u32 source = mmio_read32(claim);
            if (source == UART_IRQ)
                uart_interrupt();
            if (source)
                mmio_write32(claim, source);
        }
        return;
    }
    if (cause == EXC_ECALL_U) {
        csr_write(sepc, csr_read(sepc) + 4);
        u64 *a = &frame->regs[10];
        switch (frame->regs[17]) {
        case SYS_WRITE: {                           /* write(buffer, length) */
            const char *buffer = (const char *)a[0];    /* a user address: sstatus.SUM is set */
            for (u64 i = 0; i < a[1]; i++)
                putc(buffer[i]);
            a[0] = a[1];
            return;
        }
        case SYS_GETPID:
            a[0] = 1;
            return;
        case SYS_EXIT:
            user_exit(frame, a[0]);
        default:
            a[0] = -1UL;
            return;
        }
    }
    printf("hart %lu: trap: scause %lx sepc %lx stval %lx\n", hart_id(), cause, csr_read(sepc), csr_read(stval));
    poweroff();
}

static void idle(u64 hart)
{
    if (hart % 2) {
        for (;;)                    /* odd harts idle by spinning */
            __asm__ volatile(".4byte 0x0100000f"); /* pause */
    }
    for (;;)                        /* even harts sleep; no interrupt is enabled to wake them */
        __asm__ volatile("wfi");
}

/* Hart 0's demonstration of the PLIC's S-mode context: echo one typed line. */
static void echo_line(void)
{
    extern const char *typed_line(void);
    uptr context = 1;               /* hart 0, S-mode */
    mmio_write32(PLIC_BASE + 4 * UART_IRQ, 1);                             /* priority */
    mmio_write32(PLIC_BASE + 0x2000 + 0x80 * context, 1U << UART_IRQ);     /* enable */
    mmio_write32(PLIC_BASE + 0x200000 + 0x1000 * context, 0);              /* threshold */
    printf("uart: type a line\n");
    mmio_write8(UART_BASE + 1, 1);  /* IER: received data available */
    csr_set(sie, 1UL << IRQ_SEI);
    for (;;) {                      /* wfi with SIE clear: no wakeup slips between test and sleep */
        csr_clear(sstatus, SSTATUS_SIE);
        if (line_done)
            break;
        __asm__ volatile("wfi");
        csr_set(sstatus, SSTATUS_SIE);
    }
    mmio_write8(UART_BASE + 1, 0);
    printf("uart: got \"%s\"\n", typed_line());
}

static void s_main(u64 hart)
{
    csr_write(stvec, s_trap_vector);
    csr_write(sscratch, 0);
    csr_set(sstatus, SSTATUS_SUM);
    csr_write(satp, SATP_SV39 | ((u64)root_table >> 12));
    __asm__ volatile("sfence.vma zero, zero" ::: "memory");
    printf("hart %lu: S-mode, satp mode %lu\n", hart, csr_read(satp) >> 60);
    barrier(1);

    for (int i = 0; i < LOCK_ITERATIONS; i++) {
        acquire(&counter_lock);
        locked_counter++;
        release(&counter_lock);
    }
    barrier(2);
    if (hart == 0)
        printf("spinlock: counter %u (expected %u)\n", locked_counter, LOCK_ITERATIONS * hart_count);

    timer_test(hart);
    barrier(3);
    if (hart != 0)
        idle(hart);

    timer_report(hart_count);
    disk_test();

    struct trapframe *frame = &trapframes[hart];
    u64 status = user_enter(frame, (u64)user_main + USER_OFFSET,
                            (u64)&user_stack[sizeof user_stack] + USER_OFFSET);
    printf("kernel: user program exited with status %lu\n", status);

    echo_line();
    printf("minikernel: power off\n");
    poweroff();
}
