/*
 * The console: an ns16550a UART at 0x10000000 (transmit by polling LSR.THRE, receive by
 * interrupt through the PLIC), a printf shared by all harts under a spinlock, and power-off
 * through sifive_test.
 */
#include "kernel.h"
#include <stdarg.h>

/* ns16550a registers (byte offsets) and bits. */
#define UART_RBR 0      /* receive buffer (read) */
#define UART_THR 0      /* transmit holding (write) */
#define UART_IER 1      /* interrupt enable: bit 0 = received data available */
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

/*
 * A test-and-set lock: amoswap.w.aq takes it (no later access moves above the swap);
 * release orders every earlier access, memory and I/O, before the store that frees it.
 */
void acquire(struct spinlock *lock)
{
    u32 busy;
    do {
        __asm__ volatile("amoswap.w.aq %0, %2, %1" : "=r"(busy), "+A"(lock->locked) : "r"(1) : "memory");
    } while (busy);
}

void release(struct spinlock *lock)
{
    __asm__ volatile("fence iorw, iorw" ::: "memory");
    lock->locked = 0;
}

static struct spinlock print_lock;

void uart_init(void)
{
    /*
     * Interrupts off until echo_line wants them. FCR is left alone: toggling its FIFO
     * enable clears the receive FIFO, losing input typed (or piped) before boot.
     */
    mmio_write8(UART_BASE + UART_IER, 0);
}

void putc(char c)
{
    while (!(mmio_read8(UART_BASE + UART_LSR) & LSR_THR_EMPTY))
        ;
    mmio_write8(UART_BASE + UART_THR, c);
}

static void put_unsigned(u64 value, unsigned base, int width)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    while (n < width)
        digits[n++] = '0';
    while (n)
        putc(digits[--n]);
}

/* %s %c %d %u %x, with l for 64-bit and a 0-padded width for %x: enough for the transcript. */
static void vprintf(const char *fmt, va_list args)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putc(*fmt);
            continue;
        }
        fmt++;
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        int is_long = 0;
        if (*fmt == 'l') {
            is_long = 1;
            fmt++;
        }
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(args, const char *);
            while (*s)
                putc(*s++);
            break;
        }
        case 'c':
            putc((char)va_arg(args, int));
            break;
        case 'd': {
            long v = is_long ? va_arg(args, long) : va_arg(args, int);
            if (v < 0) {
                putc('-');
                v = -v;
            }
            put_unsigned((u64)v, 10, width);
            break;
        }
        case 'u':
            put_unsigned(is_long ? va_arg(args, u64) : va_arg(args, u32), 10, width);
            break;
        case 'x':
            put_unsigned(is_long ? va_arg(args, u64) : va_arg(args, u32), 16, width);
            break;
        default:
            putc('%');
            putc(*fmt);
        }
    }
}

void printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    acquire(&print_lock);
    vprintf(fmt, args);
    release(&print_lock);
    va_end(args);
}

/* The line typed at the console, filled by the UART receive interrupt. */
static char line[80];
static unsigned line_length;
volatile int line_done;

void uart_interrupt(void)
{
    while (mmio_read8(UART_BASE + UART_LSR) & LSR_DATA_READY) {
        char c = (char)mmio_read8(UART_BASE + UART_RBR);
        if (c == '\r')
            c = '\n';
        if (line_done)
            continue;
        putc(c);            /* echo */
        if (c == '\n') {
            line[line_length] = 0;
            line_done = 1;
        } else if (line_length < sizeof line - 1) {
            line[line_length++] = c;
        }
    }
}

const char *typed_line(void) { return line; }

void poweroff(void)
{
    mmio_write32(TEST_BASE, 0x5555);
    for (;;)
        ;
}
