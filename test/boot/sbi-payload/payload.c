// An S-mode payload for OpenSBI: it reaches the firmware only through SBI calls (SBI spec
// v1.0: base, legacy console, TIME, IPI, RFENCE, HSM, SRST) and prints what it learns, so
// its transcript under Lantern can be compared with QEMU's line for line. It ends with a
// cold reboot through SBI, then, booted again, powers the machine off.
#include <stdint.h>

#define EXT_LEGACY_PUTCHAR 0x01
#define EXT_BASE 0x10
#define EXT_TIME 0x54494d45
#define EXT_IPI 0x735049
#define EXT_RFENCE 0x52464e43
#define EXT_HSM 0x48534d
#define EXT_SRST 0x53525354
#define EXT_PMU 0x504d55
#define EXT_DBCN 0x4442434e

#define SIE_SSIE (1ul << 1)
#define SIE_STIE (1ul << 5)
#define SSTATUS_SIE (1ul << 1)
#define INTERRUPT (1ul << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define TICKS_PER_MS 10000 /* the virt board's 10 MHz timebase */
/* RAM outside every image (the board keeps RAM across a reset, as QEMU does): counts boots. */
#define BOOT_MARK ((volatile uint64_t *)0x81000000ul)
#define BOOT_MAGIC 0x4c414e5445524e31ul

struct sbiret {
    long error;
    long value;
};

static struct sbiret sbi_call(long ext, long fid, long arg0, long arg1, long arg2) {
    register long a0 asm("a0") = arg0;
    register long a1 asm("a1") = arg1;
    register long a2 asm("a2") = arg2;
    register long a6 asm("a6") = fid;
    register long a7 asm("a7") = ext;
    asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
    return (struct sbiret){a0, a1};
}

static void put_char(char c) {
    register long a0 asm("a0") = c;
    register long a7 asm("a7") = EXT_LEGACY_PUTCHAR;
    asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

static void put_string(const char *s) {
    while (*s) put_char(*s++);
}

static void put_hex(uint64_t value) {
    put_string("0x");
    int shift = 60;
    while (shift > 0 && ((value >> shift) & 0xf) == 0) shift -= 4;
    for (; shift >= 0; shift -= 4) put_char("0123456789abcdef"[(value >> shift) & 0xf]);
}

static void put_dec(uint64_t value) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0) put_char(digits[--n]);
}

static uint64_t read_time(void) {
    uint64_t t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

static volatile uint64_t timer_fired_at;
static volatile int soft_interrupts;

/* Called from trap_entry (start.S) with scause. */
void trap(uint64_t cause) {
    if (cause == (INTERRUPT | IRQ_S_TIMER)) {
        timer_fired_at = read_time();
        sbi_call(EXT_TIME, 0, -1, 0, 0); /* no next event: clears the pending timer */
        return;
    }
    if (cause == (INTERRUPT | IRQ_S_SOFT)) {
        asm volatile("csrc sip, %0" ::"r"(SIE_SSIE));
        soft_interrupts++;
        return;
    }
    uint64_t epc, tval;
    asm volatile("csrr %0, sepc" : "=r"(epc));
    asm volatile("csrr %0, stval" : "=r"(tval));
    put_string("FAIL: unexpected trap scause ");
    put_hex(cause);
    put_string(" sepc ");
    put_hex(epc);
    put_string(" stval ");
    put_hex(tval);
    put_string("\n");
    sbi_call(EXT_SRST, 0, 0, 1, 0); /* shutdown, system failure */
    for (;;) asm volatile("wfi");
}

static void probe(const char *name, long ext) {
    put_string("  probe ");
    put_string(name);
    put_string(": ");
    put_dec((uint64_t)sbi_call(EXT_BASE, 3, ext, 0, 0).value);
    put_string("\n");
}

/* The second boot, after the SBI cold reboot: OpenSBI must have started afresh. */
static void second_boot(uint64_t hartid) {
    *BOOT_MARK = 0;
    put_string("payload: hart ");
    put_dec(hartid);
    put_string(" back after the reboot, shutting down\n");
    sbi_call(EXT_SRST, 0, 0, 0, 0); /* shutdown, no reason */
    put_string("FAIL: still running after SBI system reset\n");
    for (;;) asm volatile("wfi");
}

void main(uint64_t hartid, uint64_t fdt) {
    if (*BOOT_MARK == BOOT_MAGIC) second_boot(hartid);
    volatile uint8_t *header = (volatile uint8_t *)fdt; /* the magic is big-endian */
    uint32_t magic = (uint32_t)header[0] << 24 | (uint32_t)header[1] << 16 | (uint32_t)header[2] << 8 | header[3];
    put_string("payload: hart ");
    put_dec(hartid);
    put_string(" in S-mode, device tree at ");
    put_hex(fdt);
    put_string(" magic ");
    put_hex(magic);
    put_string("\n");

    long spec = sbi_call(EXT_BASE, 0, 0, 0, 0).value;
    put_string("  SBI spec ");
    put_dec((uint64_t)(spec >> 24) & 0x7f);
    put_string(".");
    put_dec((uint64_t)spec & 0xffffff);
    put_string(", implementation ");
    put_dec((uint64_t)sbi_call(EXT_BASE, 1, 0, 0, 0).value);
    put_string(" version ");
    put_hex((uint64_t)sbi_call(EXT_BASE, 2, 0, 0, 0).value);
    put_string("\n");
    probe("TIME", EXT_TIME);
    probe("IPI", EXT_IPI);
    probe("RFENCE", EXT_RFENCE);
    probe("HSM", EXT_HSM);
    probe("SRST", EXT_SRST);
    probe("PMU", EXT_PMU);
    probe("DBCN", EXT_DBCN);
    struct sbiret status = sbi_call(EXT_HSM, 2, (long)hartid, 0, 0);
    put_string("  hart status: error ");
    put_dec((uint64_t)-status.error);
    put_string(" state ");
    put_dec((uint64_t)status.value);
    put_string("\n");

    /* A timer 1 ms ahead through SBI TIME (OpenSBI programs stimecmp with Sstc, else mtimecmp). */
    asm volatile("csrs sie, %0" ::"r"(SIE_STIE | SIE_SSIE));
    asm volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE));
    uint64_t start = read_time();
    sbi_call(EXT_TIME, 0, (long)(start + TICKS_PER_MS), 0, 0);
    while (timer_fired_at == 0) asm volatile("wfi");
    put_string("  timer: fired ");
    put_string(timer_fired_at - start >= TICKS_PER_MS ? "after" : "BEFORE");
    put_string(" 1 ms\n");

    /* An IPI to this hart through SBI (OpenSBI raises MSIP at the ACLINT, then our SSIP). */
    struct sbiret ipi = sbi_call(EXT_IPI, 0, 1, (long)hartid, 0);
    for (int spins = 0; soft_interrupts == 0 && spins < 1000; spins++) asm volatile("nop");
    put_string("  ipi: error ");
    put_dec((uint64_t)-ipi.error);
    put_string(", software interrupts taken ");
    put_dec((uint64_t)soft_interrupts);
    put_string("\n");
    struct sbiret fence = sbi_call(EXT_RFENCE, 0, 1, (long)hartid, 0);
    put_string("  remote fence.i: error ");
    put_dec((uint64_t)-fence.error);
    put_string("\n");

    /* A misaligned load: the hart does it, or OpenSBI emulates it; the value is the same. */
    static volatile uint8_t bytes[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    uint32_t word = *(volatile uint32_t *)(uintptr_t)(bytes + 1);
    put_string("  misaligned load: ");
    put_hex(word);
    put_string("\n");

    /* A cold reboot through SBI SRST (OpenSBI writes 0x7777 to sifive_test): the board
     * reloads the firmware and this payload and starts again at the reset vector. */
    put_string("payload: rebooting\n");
    *BOOT_MARK = BOOT_MAGIC;
    sbi_call(EXT_SRST, 0, 1, 0, 0); /* cold reboot, no reason */
    put_string("FAIL: still running after SBI system reset\n");
    for (;;) asm volatile("wfi");
}
