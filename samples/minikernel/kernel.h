/*
 * Shared declarations of the minikernel: the QEMU virt memory map, the CSR bits it uses
 * (RISC-V privileged spec 1.12 and the Sstc extension) and the functions each file exports.
 */
#ifndef MINIKERNEL_KERNEL_H
#define MINIKERNEL_KERNEL_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef unsigned long uptr;

#define MAX_HARTS 8
#define PAGE_SIZE 4096

/* QEMU virt memory map (hw/riscv/virt.c virt_memmap[]). */
#define TEST_BASE 0x100000UL          /* sifive_test: 0x5555 powers off */
#define CLINT_BASE 0x2000000UL
#define CLINT_MTIMECMP(hart) (CLINT_BASE + 0x4000 + 8 * (hart))
#define CLINT_MTIME (CLINT_BASE + 0xbff8)
#define PLIC_BASE 0xc000000UL
#define UART_BASE 0x10000000UL
#define UART_IRQ 10
#define VIRTIO_BASE 0x10001000UL      /* eight slots of 0x1000, IRQs 1..8 */
#define VIRTIO_SLOTS 8

/* mstatus / sstatus (privileged spec 3.1.6). */
#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_SUM (1UL << 18)
#define MSTATUS_MPP_S (1UL << 11)
#define MSTATUS_MIE (1UL << 3)

/* Interrupt bits of mip/mie/sip/sie (3.1.9) and their scause codes. */
#define IRQ_SSI 1
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9

/* Exception codes of scause (3.1.15). */
#define EXC_ECALL_U 8

#define SATP_SV39 (8UL << 60)
#define MENVCFG_STCE (1UL << 63)      /* Sstc: stimecmp enabled in S-mode */

/* Two levels so a CSR given by a macro (STIMECMP) is expanded before it is stringified. */
#define csr_read(csr) csr_read_(csr)
#define csr_write(csr, val) csr_write_(csr, val)
#define csr_set(csr, val) csr_set_(csr, val)
#define csr_clear(csr, val) csr_clear_(csr, val)
#define csr_read_(csr) ({ u64 v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write_(csr, val) __asm__ volatile("csrw " #csr ", %0" :: "rK"((u64)(val)))
#define csr_set_(csr, val) __asm__ volatile("csrs " #csr ", %0" :: "rK"((u64)(val)))
#define csr_clear_(csr, val) __asm__ volatile("csrc " #csr ", %0" :: "rK"((u64)(val)))
#define MENVCFG 0x30a       /* CSR numbers, for assemblers without the names */
#define STIMECMP 0x14d

static inline u32 mmio_read32(uptr addr) { return *(volatile u32 *)addr; }
static inline void mmio_write32(uptr addr, u32 v) { *(volatile u32 *)addr = v; }
static inline u64 mmio_read64(uptr addr) { return *(volatile u64 *)addr; }
static inline void mmio_write64(uptr addr, u64 v) { *(volatile u64 *)addr = v; }
static inline u8 mmio_read8(uptr addr) { return *(volatile u8 *)addr; }
static inline void mmio_write8(uptr addr, u8 v) { *(volatile u8 *)addr = v; }

/* The saved registers of an interrupted context, x1..x31 at index 1..31 (trap.S). */
struct trapframe {
    u64 regs[32];
    u64 kernel_sp;      /* 256: this hart's kernel stack, for traps from U-mode */
    u64 kernel_ra;      /* 264: where user_exit resumes the kernel */
    u64 kernel_s0_s9[10];   /* 272: the kernel's callee-saved registers (trap.S user_enter) */
    u64 kernel_gp_tp[2];    /* 352 */
    u64 kernel_s10_s11[2];  /* 368 */
};

/* Per-hart M-mode state, read by trap.S m_trap_vector through mscratch (offsets fixed). */
struct m_scratch {
    u64 saved_t1, saved_t2;     /* 0, 8 */
    u64 mtimecmp;               /* 16: the address of this hart's mtimecmp */
    u64 stack;                  /* 24: stack for a fatal M-mode trap */
    u64 ticks_left;             /* 32 */
    u64 interval;               /* 40 */
    u64 saved_t3;               /* 48 */
    u64 timer_interrupts;       /* 56 */
    u64 pending_ticks;          /* 64: raised by M-mode, collected by S-mode with amoswap */
};

extern struct m_scratch m_scratch[MAX_HARTS];

/* trap.S addresses these fields by number. */
_Static_assert(__builtin_offsetof(struct trapframe, kernel_sp) == 256, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_gp_tp) == 352, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_s10_s11) == 368, "trapframe layout");
_Static_assert(__builtin_offsetof(struct m_scratch, saved_t3) == 48, "m_scratch layout");
_Static_assert(__builtin_offsetof(struct m_scratch, pending_ticks) == 64, "m_scratch layout");

/* console.c */
struct spinlock { volatile u32 locked; };
void acquire(struct spinlock *lock);
void release(struct spinlock *lock);
void uart_init(void);
void putc(char c);
void printf(const char *fmt, ...);
void uart_interrupt(void);
void poweroff(void) __attribute__((noreturn));
extern volatile int line_done;

/* main.c */
u64 hart_id(void);
void kernel_trap(struct trapframe *frame, u64 cause);

/* timer.c */
void timer_interrupt(u64 cause);
void timer_test(u64 hart);
void timer_report(u32 harts);

/* virtio-blk.c */
void disk_test(void);

/* user.c: runs in U-mode through the user mapping */
void user_main(void);
extern u8 user_stack[4096];
#define SYS_WRITE 1
#define SYS_GETPID 2
#define SYS_EXIT 3

/* trap.S */
void s_trap_vector(void);
void m_trap_vector(void);
u64 user_enter(struct trapframe *frame, u64 entry, u64 sp);
void user_exit(struct trapframe *frame, u64 status) __attribute__((noreturn));

#endif
