/* Hello sample: greets over the virt ns16550a UART, shows a few computed facts, powers off. */
#include <stdint.h>

#define UART_BASE   0x10000000UL
#define UART_THR    0
#define UART_LSR    5
#define LSR_THRE    0x20
#define TEST_BASE   0x100000UL
#define TEST_PASS   0x5555u
#define TEST_FAIL   0x3333u

static void uart_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while (!(uart[UART_LSR] & LSR_THRE))
        ;
    uart[UART_THR] = (uint8_t)c;
}

static void puts_(const char *s)
{
    while (*s) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s++);
    }
}

static void put_udec(uint64_t v)
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

static void put_hex(uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    puts_("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        uart_putc(digits[(v >> shift) & 0xf]);
}

void poweroff(int status)
{
    volatile uint32_t *test = (volatile uint32_t *)TEST_BASE;
    *test = status == 0 ? TEST_PASS : ((uint32_t)status << 16) | TEST_FAIL;
    for (;;)
        __asm__ volatile("wfi");
}

int main(void)
{
    uint64_t hartid, misa;
    __asm__ volatile("csrr %0, mhartid" : "=r"(hartid));
    __asm__ volatile("csrr %0, misa" : "=r"(misa));

    puts_("Hello from Lantern!\n");

    puts_("hart id: ");
    put_udec(hartid);
    puts_("\n");

    /* misa: MXL in the top two bits, extension letters A..Z in bits 0..25. */
    unsigned mxl = (unsigned)(misa >> 62);
    puts_("misa: ");
    put_hex(misa);
    puts_(" = RV");
    put_udec(mxl == 1 ? 32 : mxl == 2 ? 64 : mxl == 3 ? 128 : 0);
    for (int bit = 0; bit < 26; bit++)
        if (misa & (1ULL << bit))
            uart_putc((char)('A' + bit));
    puts_("\n");

    /* Something computed: the sum of the squares 1..100 and the 50th Fibonacci number. */
    uint64_t squares = 0;
    for (uint64_t i = 1; i <= 100; i++)
        squares += i * i;
    uint64_t a = 0, b = 1;
    for (int i = 0; i < 50; i++) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    puts_("sum of squares 1..100 = ");
    put_udec(squares);
    puts_("\nfib(50) = ");
    put_udec(a);
    puts_("\nGoodbye.\n");
    return 0;
}
