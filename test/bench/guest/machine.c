/* Bench guest M-mode side (shared by guest-fp/): Sv39 page tables, PMP, 1 ms CLINT timer, drop to U-mode; the trap handler counts ticks and reports. */
#include <stdint.h>

#define UART_BASE       0x10000000UL
#define UART_THR        0
#define UART_LSR        5
#define LSR_THRE        0x20
#define TEST_BASE       0x100000UL
#define TEST_PASS       0x5555u
#define TEST_FAIL       0x3333u
#define CLINT_BASE      0x2000000UL
#define CLINT_MTIMECMP  (CLINT_BASE + 0x4000)
#define CLINT_MTIME     (CLINT_BASE + 0xBFF8)
#define TICK_INTERVAL   10000u          /* 1 ms at the 10 MHz timebase */

#define PTE_V   (1u << 0)
#define PTE_R   (1u << 1)
#define PTE_W   (1u << 2)
#define PTE_X   (1u << 3)
#define PTE_U   (1u << 4)
#define PTE_A   (1u << 6)
#define PTE_D   (1u << 7)

#define RAM_BASE        0x80000000UL
#define MEGAPAGE        (1UL << 21)
#define MAPPED_MEGAPAGES 8              /* 16 MiB identity-mapped: the whole image, stacks and data */

#define MCAUSE_INTERRUPT  (1UL << 63)
#define IRQ_M_TIMER       7
#define EXC_ECALL_U       8

#define MSTATUS_MPP_MASK  (3UL << 11)
#define MSTATUS_MPIE      (1UL << 7)
#define MSTATUS_FS_INITIAL (1UL << 13)  /* privileged spec 3.1.6.6: FS = 1, FP state on and clean */
#define MIE_MTIE          (1UL << 7)
#define SATP_MODE_SV39    (8UL << 60)

extern void user_main(void);
extern char __ustack_top[];

/* Sv39: root table -> one level-1 table whose entries are 2 MiB leaf megapages. */
static uint64_t root_table[512] __attribute__((aligned(4096), section(".bss.pagetables")));
static uint64_t level1_table[512] __attribute__((aligned(4096), section(".bss.pagetables")));

static volatile uint64_t timer_ticks;

#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" :: "r"((uint64_t)(val)))
#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })

static void uart_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while (!(uart[UART_LSR] & LSR_THRE))
        ;
    uart[UART_THR] = (uint8_t)c;
}

static void uart_puts(const char *s)
{
    while (*s) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s++);
    }
}

static void uart_put_udec(uint64_t v)
{
    char buf[21];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        uart_putc(buf[--i]);
}

static void uart_put_hex(uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    uart_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        uart_putc(digits[(v >> shift) & 0xf]);
}

static __attribute__((noreturn)) void power_off(uint32_t code)
{
    *(volatile uint32_t *)TEST_BASE = code;
    for (;;)
        __asm__ volatile("wfi");
}

static uint64_t pte_for(uint64_t phys, uint64_t flags)
{
    return ((phys >> 12) << 10) | flags;
}

void machine_setup(void)
{
    for (unsigned i = 0; i < MAPPED_MEGAPAGES; i++)
        level1_table[i] = pte_for(RAM_BASE + i * MEGAPAGE,
                                  PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
    root_table[RAM_BASE >> 30] = pte_for((uint64_t)(uintptr_t)level1_table, PTE_V);

    /* One NAPOT PMP region over all of memory, so U-mode may touch RAM at all. */
    csr_write(pmpaddr0, ~0UL >> 10);
    csr_write(pmpcfg0, 0x1f);           /* A = NAPOT, R, W, X */

    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_write(satp, SATP_MODE_SV39 | ((uint64_t)(uintptr_t)root_table >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");

    volatile uint64_t *mtimecmp = (volatile uint64_t *)CLINT_MTIMECMP;
    volatile uint64_t *mtime = (volatile uint64_t *)CLINT_MTIME;
    *mtimecmp = *mtime + TICK_INTERVAL;
    csr_write(mie, MIE_MTIE);

    uint64_t mstatus = csr_read(mstatus);
    mstatus &= ~MSTATUS_MPP_MASK;       /* MPP = U */
    mstatus |= MSTATUS_MPIE;
#ifdef __riscv_flen
    /* Built with F/D (the FP guest): its U-mode workload needs the FPU on. An integer-only
     * build defines no __riscv_flen and leaves FS Off, so bench.elf is unchanged. */
    mstatus |= MSTATUS_FS_INITIAL;
#endif
    csr_write(mstatus, mstatus);
    csr_write(mepc, (uint64_t)(uintptr_t)user_main);

    __asm__ volatile("mv sp, %0\n\tmret" :: "r"(__ustack_top) : "memory");
    __builtin_unreachable();
}

void machine_trap(uint64_t mcause, uint64_t user_a0)
{
    if (mcause == (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
        timer_ticks++;
        *(volatile uint64_t *)CLINT_MTIMECMP += TICK_INTERVAL;
        return;
    }
    if (mcause == EXC_ECALL_U) {
        uart_puts("bench: checksum=");
        uart_put_hex(user_a0);
        uart_puts(" ticks=");
        uart_put_udec(timer_ticks);
        uart_puts("\n");
        power_off(TEST_PASS);
    }
    uart_puts("bench: unexpected trap mcause=");
    uart_put_hex(mcause);
    uart_puts(" mepc=");
    uart_put_hex(csr_read(mepc));
    uart_puts(" mtval=");
    uart_put_hex(csr_read(mtval));
    uart_puts("\n");
    power_off((1u << 16) | TEST_FAIL);
}
