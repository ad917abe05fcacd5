/*
 * Timer interrupts, both ways a course kernel meets them:
 *  - the CLINT: mtimecmp interrupts M-mode (MTI cannot be delegated), whose handler
 *    (trap.S m_trap_vector) re-arms it and forwards each tick as a supervisor software
 *    interrupt (SSIP);
 *  - Sstc: S-mode programs stimecmp itself (menvcfg.STCE set in m_boot) and takes STI.
 * mtime runs at 10 MHz on QEMU virt.
 */
#include "kernel.h"

#define INTERVAL 20000      /* 2 ms */
#define TICKS 3

static volatile u32 software_interrupts[MAX_HARTS];   /* may be fewer than the ticks */
static volatile u32 clint_ticks[MAX_HARTS];
static volatile u32 supervisor_timer_ticks[MAX_HARTS];

void timer_interrupt(u64 code)
{
    u64 hart = hart_id();
    if (code == IRQ_SSI) {
        csr_clear(sip, 1UL << IRQ_SSI);
        software_interrupts[hart]++;
        clint_ticks[hart] += __atomic_exchange_n(&m_scratch[hart].pending_ticks, 0, __ATOMIC_RELAXED);
    } else {
        u32 ticks = ++supervisor_timer_ticks[hart];
        csr_write(STIMECMP, ticks < TICKS ? csr_read(STIMECMP) + INTERVAL : -1UL);
    }
}

/* Sleeps in wfi until done() holds; SIE is clear between the test and the wfi. */
static void wait_for(int (*done)(u64), u64 hart)
{
    for (;;) {
        csr_clear(sstatus, SSTATUS_SIE);
        if (done(hart))
            break;
        __asm__ volatile("wfi");
        csr_set(sstatus, SSTATUS_SIE);
    }
}

static int clint_done(u64 hart)
{
    return clint_ticks[hart] >= TICKS;
}

static int sstc_done(u64 hart) { return supervisor_timer_ticks[hart] >= TICKS; }

void timer_test(u64 hart)
{
    volatile struct m_scratch *scratch = &m_scratch[hart];
    csr_set(sie, 1UL << IRQ_SSI);
    scratch->interval = INTERVAL;
    scratch->ticks_left = TICKS;
    __asm__ volatile("fence w, o" ::: "memory");
    mmio_write64(CLINT_MTIMECMP(hart), mmio_read64(CLINT_MTIME) + INTERVAL);
    wait_for(clint_done, hart);
    csr_clear(sie, 1UL << IRQ_SSI);

    csr_set(sie, 1UL << IRQ_STI);
    csr_write(STIMECMP, csr_read(time) + INTERVAL);
    wait_for(sstc_done, hart);
    csr_clear(sie, 1UL << IRQ_STI);
}

void timer_report(u32 harts)
{
    for (u32 hart = 0; hart < harts; hart++) {
        printf("timer: hart %u: clint %lu machine interrupts -> %u ticks by SSIP, sstc %u STI\n", hart,
               m_scratch[hart].timer_interrupts, clint_ticks[hart], supervisor_timer_ticks[hart]);
    }
}
