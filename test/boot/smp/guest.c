/*
 * The SMP guest for QEMU virt -smp N (and Lantern's virt): every hart runs main in M-mode.
 * Hart 0 counts the harts in the device tree (/cpus/cpu@N) and reads /chosen/bootargs:
 * "spin" makes the last hart never execute wfi (idle loops that poll, as older teaching
 * kernels have), while the others sleep in wfi and are woken by msip IPIs. Then all harts:
 *  1. turns: ROUNDS times, each hart in turn prints a line under an amoswap.w.aq spinlock
 *     (released after fence iorw,iorw), passes the turn on and sends the next hart an IPI;
 *  2. counters: each adds 1 to a shared word ITERATIONS times with lr.w/sc.w, to another
 *     with amoadd.w, and every 16th time to a plain word under the spinlock, with uneven
 *     work between so that turns end at any point of the loop;
 *  3. paging: each maps one virtual page to its own physical page (Sv39, a root table per
 *     hart) and reads it through mstatus.MPRV, many times; then hart 0 remaps hart 1's page,
 *     sends an IPI, and hart 1 reads the new page after its own sfence.vma;
 *  4. timers: each arms its own mtimecmp (hart h: h+1 ms ahead) and waits for MTIP;
 * then hart 0 prints the results and powers off through sifive_test. The transcript is the
 * same for every interleaving, so it can be compared with QEMU's.
 */
#include <stdint.h>

#define UART 0x10000000UL          /* ns16550a */
#define FINISHER 0x100000UL        /* sifive_test */
#define CLINT 0x2000000UL
#define CLINT_MSIP(h) (CLINT + 4 * (h))
#define CLINT_MTIMECMP(h) (CLINT + 0x4000 + 8 * (h))
#define CLINT_MTIME (CLINT + 0xbff8)

#define MAX_HARTS 8
#define ROUNDS 3
#define ITERATIONS 10000
#define READS 2000
#define TICKS_PER_MS 10000         /* the 10 MHz timebase */

#define REG8(addr) (*(volatile uint8_t *)(addr))
#define REG32(addr) (*(volatile uint32_t *)(addr))
#define REG64(addr) (*(volatile uint64_t *)(addr))

#define MIP_MSIP (1UL << 3)
#define MIP_MTIP (1UL << 7)
#define MSTATUS_MPP (3UL << 11)
#define MSTATUS_MPP_S (1UL << 11)
#define MSTATUS_MPRV (1UL << 17)
#define UART_LSR 5
#define LSR_THRE 0x20

/* Sv39 (privileged spec 1.12, 4.4). */
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_A 0x40
#define PTE_D 0x80
#define PTE(pa, flags) ((((uint64_t)(pa) >> 12) << 10) | (flags))
#define SATP_SV39 (8UL << 60)
#define TEST_VA 0x40000000UL       /* root index 1, middle index 0, leaf index 0 */

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((uint64_t)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint64_t)(v)))
#define fence() __asm__ volatile("fence iorw, iorw" ::: "memory")

static int harts;
static int spinner = -1;           /* the hart that never executes wfi, if any */
static volatile uint32_t print_lock;
static volatile uint32_t turn;
static volatile uint32_t barrier_count;
static volatile uint32_t barrier_generation;
static volatile uint32_t lrsc_counter;
static volatile uint32_t amo_counter;
static volatile uint32_t locked_counter;
static volatile uint32_t remapped;
/* Read by the test from RAM: SC failures per hart (contention really happened). */
volatile uint32_t sc_failures[MAX_HARTS];
static volatile uint32_t paging_errors;
static volatile uint32_t timer_late[MAX_HARTS];
static volatile uint64_t sink[MAX_HARTS];

static uint64_t root[MAX_HARTS][512] __attribute__((aligned(4096)));
static uint64_t middle[MAX_HARTS][512] __attribute__((aligned(4096)));
static uint64_t leaf[MAX_HARTS][512] __attribute__((aligned(4096)));
static volatile uint64_t pages[MAX_HARTS + 1][512] __attribute__((aligned(4096)));

void *memset(void *to, int c, unsigned long n)
{
    uint8_t *p = to;
    while (n--)
        *p++ = (uint8_t)c;
    return to;
}

/* --- the spinlock and the console --- */

static void lock(volatile uint32_t *word)
{
    uint32_t old;
    do {
        __asm__ volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(word) : "memory");
    } while (old != 0);
}

static void unlock(volatile uint32_t *word)
{
    fence();
    *word = 0;
}

static void putc(char c)
{
    while (!(REG8(UART + UART_LSR) & LSR_THRE))
        ;
    REG8(UART) = c;
}

static void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

static void putu(uint64_t v)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (n)
        putc(digits[--n]);
}

static void finish(uint32_t status)
{
    REG32(FINISHER) = status == 0 ? 0x5555 : (status << 16) | 0x3333;
    for (;;)
        ;
}

/* --- waiting: wfi woken by IPIs, or polling on the spinning hart --- */

static void send_ipi(int hart)
{
    fence();                        /* what the target will read is visible first */
    REG32(CLINT_MSIP(hart)) = 1;
}

/* Waits until cond holds. The IPI is cleared before each test, so one sent after the test
 * stays pending and the wfi returns at once: no wakeup is lost. */
#define WAIT_UNTIL(hart, cond)                      \
    for (;;) {                                      \
        REG32(CLINT_MSIP(hart)) = 0;                \
        fence();                                    \
        if (cond)                                   \
            break;                                  \
        if ((hart) != spinner)                      \
            __asm__ volatile("wfi");                \
    }

static void barrier(int hart)
{
    uint32_t generation = barrier_generation;
    uint32_t arrived;
    fence();
    __asm__ volatile("amoadd.w.aqrl %0, %1, (%2)" : "=r"(arrived) : "r"(1), "r"(&barrier_count) : "memory");
    if (arrived == (uint32_t)harts - 1) {
        barrier_count = 0;
        fence();
        barrier_generation = generation + 1;
        for (int h = 0; h < harts; h++)
            if (h != hart)
                send_ipi(h);
    } else {
        WAIT_UNTIL(hart, barrier_generation != generation);
    }
    fence();
}

/* --- the device tree: harts, and "spin" in bootargs --- */

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static unsigned long length(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

static int equal(const char *a, const char *b)
{
    return starts_with(a, b) && a[length(b)] == 0;
}

static int contains(const char *s, const char *word)
{
    for (; *s; s++)
        if (starts_with(s, word))
            return 1;
    return 0;
}

static void read_device_tree(const uint8_t *fdt, int *cpus, int *spin)
{
    const uint8_t *p = fdt + be32(fdt + 8);
    const char *strings = (const char *)fdt + be32(fdt + 12);
    int depth = 0, in_cpus = 0, in_chosen = 0;
    *cpus = 0;
    *spin = 0;
    for (;;) {
        uint32_t token = be32(p);
        p += 4;
        if (token == 1) {           /* FDT_BEGIN_NODE */
            const char *name = (const char *)p;
            depth++;
            if (depth == 2) {
                in_cpus = equal(name, "cpus");
                in_chosen = equal(name, "chosen");
            }
            if (depth == 3 && in_cpus && starts_with(name, "cpu@"))
                (*cpus)++;
            p += (length(name) + 4) & ~3UL;
        } else if (token == 2) {    /* FDT_END_NODE */
            depth--;
        } else if (token == 3) {    /* FDT_PROP */
            uint32_t len = be32(p), name = be32(p + 4);
            p += 8;
            if (depth == 2 && in_chosen && equal(strings + name, "bootargs"))
                *spin = contains((const char *)p, "spin");
            p += (len + 3) & ~3UL;
        } else if (token != 4) {    /* FDT_NOP; FDT_END or garbage ends the walk */
            break;
        }
    }
}

/* --- the phases --- */

static void delay(int hart, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        sink[hart] += i;
}

static void turns(int hart)
{
    for (uint32_t round = 0; round < ROUNDS; round++) {
        uint32_t mine = round * harts + hart;
        WAIT_UNTIL(hart, turn == mine);
        lock(&print_lock);
        puts("round ");
        putu(round);
        puts(": hart ");
        putu(hart);
        putc('\n');
        unlock(&print_lock);
        turn = mine + 1;
        send_ipi((hart + 1) % harts);
    }
}

static void counters(int hart)
{
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        uint32_t value, failed;
        __asm__ volatile(
            "1: lr.w %0, (%2)\n"
            "   addi %0, %0, 1\n"
            "   sc.w %1, %0, (%2)\n"
            "   beqz %1, 2f\n"
            "   lw %0, (%3)\n"
            "   addi %0, %0, 1\n"
            "   sw %0, (%3)\n"
            "   j 1b\n"
            "2:"
            : "=&r"(value), "=&r"(failed)
            : "r"(&lrsc_counter), "r"(&sc_failures[hart])
            : "memory");
        __asm__ volatile("amoadd.w %0, %1, (%2)" : "=r"(value) : "r"(1), "r"(&amo_counter) : "memory");
        if (i % 16 == 0) {
            lock(&print_lock);
            locked_counter = locked_counter + 1;
            unlock(&print_lock);
        }
        delay(hart, (i * 7 + hart) % 11);
    }
}

static uint64_t read_virtual(uint64_t va)
{
    uint64_t value;
    /* With MPRV and MPP = S, this load (and only it: no stack use inside) is translated. */
    __asm__ volatile("csrs mstatus, %1\n ld %0, 0(%2)\n csrc mstatus, %1"
                     : "=&r"(value) : "r"(MSTATUS_MPRV), "r"(va) : "memory");
    return value;
}

static void paging(int hart)
{
    pages[hart][0] = 0x1000 + hart;
    root[hart][1] = PTE(middle[hart], PTE_V);
    middle[hart][0] = PTE(leaf[hart], PTE_V);
    leaf[hart][0] = PTE(pages[hart], PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    if (hart == 0)
        pages[harts][0] = 0x2000;
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_S);
    fence();
    csr_write(satp, SATP_SV39 | ((uint64_t)root[hart] >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    barrier(hart);
    for (int i = 0; i < READS; i++) {
        if (read_virtual(TEST_VA) != 0x1000UL + hart)
            paging_errors = paging_errors + 1;
        delay(hart, (i * 5 + hart) % 13);
    }
    barrier(hart);
    if (hart == 0) {
        /* Another hart changes hart 1's page table, then tells it: a shootdown. */
        leaf[1][0] = PTE(pages[harts], PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
        fence();
        remapped = 1;
        send_ipi(1);
    } else if (hart == 1) {
        WAIT_UNTIL(hart, remapped);
        __asm__ volatile("sfence.vma" ::: "memory");
        if (read_virtual(TEST_VA) != 0x2000)
            paging_errors = paging_errors + 1;
    }
    barrier(hart);
    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
}

static void timer(int hart)
{
    uint64_t deadline = REG64(CLINT_MTIME) + (uint64_t)(hart + 1) * TICKS_PER_MS;
    REG64(CLINT_MTIMECMP(hart)) = deadline;
    /* Only the timer wakes this wait: a late IPI of the last barrier must not. */
    csr_write(mie, MIP_MTIP);
    while (!(csr_read(mip) & MIP_MTIP))
        if (hart != spinner)
            __asm__ volatile("wfi");
    timer_late[hart] = REG64(CLINT_MTIME) >= deadline ? 0 : 1;
    REG64(CLINT_MTIMECMP(hart)) = ~0UL;
    csr_write(mie, MIP_MSIP);
}

static void check(const char *what, uint32_t value, uint32_t expected)
{
    puts(what);
    putu(value);
    puts(value == expected ? " ok\n" : " WRONG\n");
}

/* Entered by every hart from start.S: a0 = mhartid, a1 = the device tree. */
void smp_main(long hart_id, const uint8_t *fdt)
{
    extern volatile uint32_t boot_ready;
    int hart = (int)hart_id;
    if (hart == 0) {
        int spin;
        read_device_tree(fdt, &harts, &spin);
        if (harts < 2 || harts > MAX_HARTS) {
            puts("bad hart count\n");
            finish(2);
        }
        if (spin)
            spinner = harts - 1;
        puts("smp: ");
        putu(harts);
        puts(" harts");
        if (spin) {
            puts(", hart ");
            putu(spinner);
            puts(" spins");
        }
        putc('\n');
        fence();
        boot_ready = 1;
        for (int h = 1; h < harts; h++)
            send_ipi(h);
    }
    /* S-mode accesses (the MPRV loads and their page walks) need a PMP entry: all memory. */
    csr_write(pmpaddr0, ~0UL >> 10);
    csr_write(pmpcfg0, 0x1f);       /* NAPOT, R, W, X */
    csr_write(mie, MIP_MSIP);
    turns(hart);
    barrier(hart);
    counters(hart);
    barrier(hart);
    paging(hart);
    timer(hart);
    barrier(hart);
    if (hart != 0) {
        for (;;)
            if (hart != spinner)
                __asm__ volatile("wfi");
    }
    check("lr/sc counter ", lrsc_counter, harts * ITERATIONS);
    check("amoadd counter ", amo_counter, harts * ITERATIONS);
    check("locked counter ", locked_counter, harts * (ITERATIONS / 16));
    check("paging errors ", paging_errors, 0);
    for (int h = 0; h < harts; h++) {
        puts("timer hart ");
        putu(h);
        puts(timer_late[h] ? " early\n" : " ok\n");
    }
    puts("done\n");
    finish(0);
}
