/*
 * The interrupts guest for QEMU virt (and Lantern's virt): reads the goldfish RTC, sleeps in
 * wfi until an RTC alarm arrives through the PLIC (MEIP), then echoes UART input taken by
 * receive interrupts, first through the PLIC's M-mode context (MEIP, handled in M-mode) up
 * to a CR, then through its S-mode context (SEIP, delegated with mideleg) up to a 'q'.
 * It never polls the UART for input: every byte arrives by an interrupt taken out of wfi.
 * Transcript lines (hex numbers): "rtc TIME MTIME0 MTIME1", "alarm AT fired TIME",
 * "M ready", the echo, "M done", "S ready", the echo, "S done"; then it powers off.
 */
#include <stdint.h>

#define UART 0x10000000UL          /* ns16550a, PLIC source 10 */
#define RTC 0x101000UL             /* goldfish RTC, PLIC source 11 */
#define PLIC 0x0c000000UL
#define FINISHER 0x100000UL        /* sifive_test */
#define MTIME 0x0200bff8UL         /* CLINT */

#define UART_IRQ 10
#define RTC_IRQ 11
#define CONTEXT_M 0                /* hart 0, M-mode */
#define CONTEXT_S 1                /* hart 0, S-mode */

#define REG8(addr) (*(volatile uint8_t *)(addr))
#define REG32(addr) (*(volatile uint32_t *)(addr))
#define REG64(addr) (*(volatile uint64_t *)(addr))

#define PLIC_PRIORITY(n) REG32(PLIC + 4 * (n))
#define PLIC_ENABLE(ctx) REG32(PLIC + 0x2000 + 0x80 * (ctx))   /* sources 0..31 */
#define PLIC_THRESHOLD(ctx) REG32(PLIC + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) REG32(PLIC + 0x200004 + 0x1000 * (ctx))

#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_INTERRUPT 0x1c

#define INTERRUPT (1UL << 63)
#define MIP_SEIP (1UL << 9)
#define MIP_MEIP (1UL << 11)
#define MSTATUS_SIE (1UL << 1)
#define MSTATUS_MIE (1UL << 3)
#define MSTATUS_MPP (3UL << 11)
#define MSTATUS_MPP_S (1UL << 11)

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((uint64_t)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint64_t)(v)))

static volatile int alarm_fired;
static volatile uint64_t alarm_time;
static volatile int line_done;

static void putc(char c)
{
    while (!(REG8(UART + UART_LSR) & LSR_THRE))
        ;
    REG8(UART + UART_THR) = c;
}

static void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

static void puthex(uint64_t v)
{
    puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        putc("0123456789abcdef"[(v >> shift) & 15]);
}

static void finish(uint32_t status)
{
    REG32(FINISHER) = status == 0 ? 0x5555 : (status << 16) | 0x3333;
    for (;;)
        ;
}

static void unexpected(const char *mode, uint64_t cause, uint64_t epc)
{
    puts("unexpected ");
    puts(mode);
    puts(" trap cause ");
    puthex(cause);
    puts(" epc ");
    puthex(epc);
    putc('\n');
    finish(3);
}

static uint64_t rtc_now(void)
{
    uint32_t low = REG32(RTC + RTC_TIME_LOW);   /* latches the high word */
    uint32_t high = REG32(RTC + RTC_TIME_HIGH);
    return ((uint64_t)high << 32) | low;
}

/* Echo what the UART holds; `stop` ends the line. */
static void uart_receive(char stop)
{
    while (REG8(UART + UART_LSR) & LSR_DR) {
        char c = REG8(UART + UART_RBR);
        putc(c);
        if (c == stop)
            line_done = 1;
    }
}

/* One external interrupt for `context`: claim, service, complete. */
static void external(int context, char stop)
{
    uint32_t id;
    while ((id = PLIC_CLAIM(context)) != 0) {
        if (id == UART_IRQ) {
            uart_receive(stop);
        } else if (id == RTC_IRQ) {
            alarm_time = rtc_now();
            REG32(RTC + RTC_CLEAR_INTERRUPT) = 1;
            alarm_fired = 1;
        } else {
            puts("unexpected source ");
            puthex(id);
            putc('\n');
            finish(4);
        }
        PLIC_CLAIM(context) = id;
    }
}

__attribute__((interrupt("machine"), aligned(4))) static void machine_trap(void)
{
    uint64_t cause = csr_read(mcause);
    if (cause != (INTERRUPT | 11))
        unexpected("M", cause, csr_read(mepc));
    external(CONTEXT_M, '\r');
}

__attribute__((interrupt("supervisor"), aligned(4))) static void supervisor_trap(void)
{
    uint64_t cause = csr_read(scause);
    if (cause != (INTERRUPT | 9))
        unexpected("S", cause, csr_read(sepc));
    external(CONTEXT_S, 'q');
}

static void supervisor_main(void)
{
    puts("S ready\n");
    csr_set(sstatus, MSTATUS_SIE);
    while (!line_done)
        __asm__ volatile("wfi");
    csr_clear(sstatus, MSTATUS_SIE);
    puts("\nS done\n");
    finish(0);
}

static void rtc_alarm_test(void)
{
    uint64_t t0 = REG64(MTIME);
    uint64_t now = rtc_now();
    uint64_t t1 = REG64(MTIME);
    puts("rtc ");
    puthex(now);
    putc(' ');
    puthex(t0);
    putc(' ');
    puthex(t1);
    putc('\n');

    /* An alarm 250 ms ahead; no timer is armed, so only the alarm can end the wait. */
    uint64_t at = now + 250000000UL;
    PLIC_PRIORITY(RTC_IRQ) = 2;
    PLIC_ENABLE(CONTEXT_M) = 1u << RTC_IRQ;
    REG32(RTC + RTC_ALARM_HIGH) = at >> 32;
    REG32(RTC + RTC_ALARM_LOW) = (uint32_t)at;
    REG32(RTC + RTC_IRQ_ENABLED) = 1;
    while (!alarm_fired)
        __asm__ volatile("wfi");
    REG32(RTC + RTC_IRQ_ENABLED) = 0;
    PLIC_ENABLE(CONTEXT_M) = 0;
    puts("alarm ");
    puthex(at);
    puts(" fired ");
    puthex(alarm_time);
    putc('\n');
}

int main(void)
{
    /* PMP: let S-mode reach everything (no entry would deny it all). */
    csr_write(pmpaddr0, ~0UL >> 10);
    csr_write(pmpcfg0, 0x1f); /* NAPOT, RWX */

    csr_write(mtvec, (uint64_t)machine_trap);
    PLIC_THRESHOLD(CONTEXT_M) = 0;
    PLIC_THRESHOLD(CONTEXT_S) = 0;
    csr_write(mie, MIP_MEIP);
    csr_set(mstatus, MSTATUS_MIE);

    rtc_alarm_test();

    /* The UART through the M-mode context: FIFO on (trigger 14), receive interrupts. */
    PLIC_PRIORITY(UART_IRQ) = 1;
    PLIC_ENABLE(CONTEXT_M) = 1u << UART_IRQ;
    REG8(UART + UART_FCR) = 0xc1;
    REG8(UART + UART_IER) = 0x01;
    puts("M ready\n");
    while (!line_done)
        __asm__ volatile("wfi");
    puts("\nM done\n");

    /* The same source through the S-mode context, as SEIP delegated to S. */
    csr_clear(mstatus, MSTATUS_MIE);
    PLIC_ENABLE(CONTEXT_M) = 0;
    PLIC_ENABLE(CONTEXT_S) = 1u << UART_IRQ;
    line_done = 0;
    csr_write(mideleg, MIP_SEIP);
    csr_write(mie, MIP_SEIP);
    csr_write(stvec, (uint64_t)supervisor_trap);
    csr_write(mepc, (uint64_t)supervisor_main);
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_S);
    __asm__ volatile("mret");
    return 0;
}
