/*
 * The user program. It runs in U-mode from the user mapping of RAM at 0x100000000 (main.c),
 * which works because -mcmodel=medany addresses everything relative to the pc; it calls
 * nothing in the kernel and reaches it only through ecall: a7 = the system call, a0/a1 the
 * arguments, a0 the result.
 */
#include "kernel.h"

u8 user_stack[4096] __attribute__((aligned(16)));

static long syscall(long number, long arg0, long arg1)
{
    register long a0 __asm__("a0") = arg0;
    register long a1 __asm__("a1") = arg1;
    register long a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
    return a0;
}

static void print(const char *s)
{
    long length = 0;
    while (s[length])
        length++;
    syscall(SYS_WRITE, (long)s, length);
}

static void print_number(unsigned long value)
{
    char digits[21];
    int n = sizeof digits;
    do {
        digits[--n] = '0' + value % 10;
        value /= 10;
    } while (value);
    syscall(SYS_WRITE, (long)&digits[n], sizeof digits - n);
}

void user_main(void)
{
    print("user: hello from U-mode\n");
    print("user: getpid() = ");
    print_number(syscall(SYS_GETPID, 0, 0));
    print("\nuser: sum 1..100 = ");
    unsigned long sum = 0;
    for (int i = 1; i <= 100; i++)
        sum += i;
    print_number(sum);
    print("\nuser: write() returned ");
    print_number(syscall(SYS_WRITE, (long)"", 0));
    print("\nuser: exit(7)\n");
    syscall(SYS_EXIT, 7, 0);
    for (;;)
        ;
}
