/* A bare-metal virtio-blk driver for the virt board: probes the eight virtio-mmio slots,
 * brings up the first block device over either transport (legacy v1 or modern v2), reads
 * sector 0, asks for the serial, writes and flushes sector 1, reads it back, and prints all
 * of it on the UART. Each completion is awaited with wfi until the PLIC (M-mode context 0)
 * has the slot's interrupt to claim; no trap is taken (mstatus.MIE stays clear).
 * Lines starting "info:" describe the device's offer and may differ between emulators. */
#include <stdint.h>

#define UART_BASE 0x10000000UL
#define TEST_BASE 0x100000UL
#define VIRTIO_BASE 0x10001000UL
#define VIRTIO_STRIDE 0x1000UL
#define VIRTIO_SLOTS 8
/* PLIC (RISC-V PLIC spec 1.0.0 memory map): priorities, context 0 enables, threshold, claim. */
#define PLIC_BASE 0x0c000000UL
#define PLIC_PRIORITY(source) (PLIC_BASE + 4 * (source))
#define PLIC_ENABLE0 (PLIC_BASE + 0x2000)
#define PLIC_THRESHOLD0 (PLIC_BASE + 0x200000)
#define PLIC_CLAIM0 (PLIC_BASE + 0x200004)
#define MIE_MEIE (1UL << 11)

/* virtio-mmio registers (virtio 1.2 section 4.2.2; legacy ones from 4.2.4). */
enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c,
    DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014,
    DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024, GUEST_PAGE_SIZE = 0x028,
    QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_ALIGN = 0x03c,
    QUEUE_PFN = 0x040, QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050,
    INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070,
    QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090,
    QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4,
    CONFIG_GENERATION = 0x0fc, CONFIG = 0x100,
};

enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8 };
enum { DESC_NEXT = 1, DESC_WRITE = 2 };
enum { BLK_T_IN = 0, BLK_T_OUT = 1, BLK_T_FLUSH = 4, BLK_T_GET_ID = 8 };

#define QUEUE_SIZE 8
#define PAGE 4096

struct desc { uint64_t addr; uint32_t len; uint16_t flags; uint16_t next; };
struct request_header { uint32_t type; uint32_t reserved; uint64_t sector; };

/* Legacy layout (4.2.4 / 2.7 "legacy interfaces"): descriptors, then the available ring,
 * then the used ring on the next QueueAlign (= page) boundary. Modern uses it as well. */
static struct {
    struct desc desc[QUEUE_SIZE];
    uint16_t avail_flags, avail_idx, avail_ring[QUEUE_SIZE], used_event;
    uint8_t pad[PAGE - QUEUE_SIZE * 16 - (3 + QUEUE_SIZE) * 2];
    uint16_t used_flags, used_idx;
    struct { uint32_t id, len; } used_ring[QUEUE_SIZE];
    uint16_t avail_event;
} ring __attribute__((aligned(PAGE)));

static struct request_header header;
static uint8_t buffer[512] __attribute__((aligned(16)));
static volatile uint8_t status_byte;
static uint16_t used_seen;

static void putc_(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while (!(uart[5] & 0x20))
        ;
    uart[0] = (uint8_t)c;
}

static void puts_(const char *s)
{
    while (*s) {
        if (*s == '\n')
            putc_('\r');
        putc_(*s++);
    }
}

static void put_hex(uint64_t v, int digits)
{
    puts_("0x");
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        putc_("0123456789abcdef"[(v >> shift) & 0xf]);
}

static void put_dec(uint64_t v)
{
    char buf[21];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        putc_(buf[--i]);
}

void poweroff(int status)
{
    volatile uint32_t *test = (volatile uint32_t *)TEST_BASE;
    *test = status == 0 ? 0x5555u : ((uint32_t)status << 16) | 0x3333u;
    for (;;)
        __asm__ volatile("wfi");
}

static uintptr_t base;
static uint32_t irq_source;

static volatile uint32_t *mmio32(uintptr_t address) { return (volatile uint32_t *)address; }

static uint32_t reg(uint32_t offset) { return *(volatile uint32_t *)(base + offset); }
static void set_reg(uint32_t offset, uint32_t value) { *(volatile uint32_t *)(base + offset) = value; }
static void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }

/* Sends the chain header → data → status, polls the used ring, returns the status byte. */
static int request(uint32_t type, uint64_t sector, uint32_t data_len, int data_writable, uint32_t *used_len)
{
    header.type = type;
    header.reserved = 0;
    header.sector = sector;
    status_byte = 0xff;
    int n = 0;
    ring.desc[n] = (struct desc){ (uintptr_t)&header, sizeof header, DESC_NEXT, 1 };
    n++;
    if (data_len) {
        ring.desc[n] = (struct desc){ (uintptr_t)buffer, data_len, DESC_NEXT | (data_writable ? DESC_WRITE : 0), 2 };
        n++;
    } else {
        ring.desc[0].next = 2;
    }
    ring.desc[2] = (struct desc){ (uintptr_t)&status_byte, 1, DESC_WRITE, 0 };
    ring.avail_ring[ring.avail_idx % QUEUE_SIZE] = 0;
    fence();
    ring.avail_idx++;
    fence();
    set_reg(QUEUE_NOTIFY, 0);
    uint32_t claim;
    while ((claim = *mmio32(PLIC_CLAIM0)) == 0)
        __asm__ volatile("wfi");
    fence();
    if (*(volatile uint16_t *)&ring.used_idx == used_seen) {
        puts_("interrupt without a used buffer\n");
        poweroff(3);
    }
    struct { uint32_t id, len; } used = { ring.used_ring[used_seen % QUEUE_SIZE].id, ring.used_ring[used_seen % QUEUE_SIZE].len };
    used_seen++;
    *used_len = used.len;
    uint32_t pending = reg(INTERRUPT_STATUS);
    set_reg(INTERRUPT_ACK, pending);
    *mmio32(PLIC_CLAIM0) = claim; /* complete */
    puts_("  plic source ");
    put_dec(claim);
    puts_(claim == irq_source ? " (the slot's)\n" : " (not the slot's)\n");
    puts_("  used id ");
    put_dec(used.id);
    puts_(" len ");
    put_dec(used.len);
    puts_(" interrupt status ");
    put_dec(pending);
    puts_(" after ack ");
    put_dec(reg(INTERRUPT_STATUS));
    puts_("\n");
    return status_byte;
}

static void dump(const uint8_t *bytes, int length)
{
    for (int i = 0; i < length; i += 16) {
        puts_("  ");
        for (int j = 0; j < 16; j++) {
            put_hex(bytes[i + j], 2);
            putc_(j == 15 ? ' ' : ' ');
        }
        for (int j = 0; j < 16; j++)
            putc_(bytes[i + j] >= 32 && bytes[i + j] < 127 ? (char)bytes[i + j] : '.');
        puts_("\n");
    }
}

int main(void)
{
    uintptr_t blk = 0;
    int blk_slot = 0;
    for (int slot = 0; slot < VIRTIO_SLOTS; slot++) {
        base = VIRTIO_BASE + slot * VIRTIO_STRIDE;
        puts_("slot ");
        put_dec(slot);
        puts_(": magic ");
        put_hex(reg(MAGIC), 8);
        puts_(" version ");
        put_dec(reg(VERSION));
        puts_(" device ");
        put_dec(reg(DEVICE_ID));
        puts_(" vendor ");
        put_hex(reg(VENDOR_ID), 8);
        puts_("\n");
        if (reg(DEVICE_ID) == 2 && !blk) {
            blk = base;
            blk_slot = slot;
        }
    }
    if (!blk) {
        puts_("no virtio-blk device\n");
        poweroff(2);
    }
    base = blk;
    /* The slot's interrupt: PLIC source 1 + slot, enabled for M-mode context 0, woken by wfi. */
    irq_source = 1 + blk_slot;
    *mmio32(PLIC_PRIORITY(irq_source)) = 1;
    *mmio32(PLIC_ENABLE0 + 4 * (irq_source / 32)) = 1u << (irq_source % 32);
    *mmio32(PLIC_THRESHOLD0) = 0;
    __asm__ volatile("csrs mie, %0" ::"r"(MIE_MEIE));
    int modern = reg(VERSION) == 2;
    puts_(modern ? "block device (modern) at " : "block device (legacy) at ");
    put_hex(blk, 8);
    puts_("\n");

    set_reg(STATUS, 0);
    set_reg(STATUS, ACKNOWLEDGE);
    set_reg(STATUS, ACKNOWLEDGE | DRIVER);
    set_reg(DEVICE_FEATURES_SEL, 0);
    uint32_t features_low = reg(DEVICE_FEATURES);
    set_reg(DEVICE_FEATURES_SEL, 1);
    uint32_t features_high = reg(DEVICE_FEATURES);
    puts_("info: features ");
    put_hex(((uint64_t)features_high << 32) | features_low, 16);
    set_reg(QUEUE_SEL, 0);
    puts_(" queue max ");
    put_dec(reg(QUEUE_NUM_MAX));
    puts_(" seg_max ");
    put_dec(reg(CONFIG + 12));
    puts_(" blk_size ");
    put_dec(reg(CONFIG + 20));
    puts_(" generation ");
    put_dec(reg(CONFIG_GENERATION));
    puts_("\n");
    puts_("version 1 offered: ");
    puts_(features_high & 1 ? "yes\n" : "no\n");
    uint64_t capacity = reg(CONFIG) | (uint64_t)reg(CONFIG + 4) << 32;
    puts_("capacity ");
    put_dec(capacity);
    puts_(" sectors\n");

    /* Take nothing but VIRTIO_F_VERSION_1 (required of a modern driver). */
    set_reg(DRIVER_FEATURES_SEL, 0);
    set_reg(DRIVER_FEATURES, 0);
    set_reg(DRIVER_FEATURES_SEL, 1);
    set_reg(DRIVER_FEATURES, modern ? 1 : 0);
    if (modern) {
        set_reg(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        puts_(reg(STATUS) & FEATURES_OK ? "features accepted\n" : "features refused\n");
    } else {
        set_reg(GUEST_PAGE_SIZE, PAGE);
    }
    set_reg(QUEUE_SEL, 0);
    set_reg(QUEUE_NUM, QUEUE_SIZE);
    if (modern) {
        set_reg(QUEUE_DESC_LOW, (uintptr_t)ring.desc);
        set_reg(QUEUE_DESC_HIGH, 0);
        set_reg(QUEUE_DRIVER_LOW, (uintptr_t)&ring.avail_flags);
        set_reg(QUEUE_DRIVER_HIGH, 0);
        set_reg(QUEUE_DEVICE_LOW, (uintptr_t)&ring.used_flags);
        set_reg(QUEUE_DEVICE_HIGH, 0);
        set_reg(QUEUE_READY, 1);
    } else {
        set_reg(QUEUE_ALIGN, PAGE);
        set_reg(QUEUE_PFN, (uintptr_t)&ring / PAGE);
    }
    set_reg(STATUS, reg(STATUS) | DRIVER_OK);
    puts_("status ");
    put_dec(reg(STATUS));
    puts_("\n");

    uint32_t used_len;
    puts_("read sector 0:\n");
    int status = request(BLK_T_IN, 0, 512, 1, &used_len);
    puts_("  status ");
    put_dec(status);
    puts_("\n");
    dump(buffer, 64);

    puts_("get id:\n");
    for (int i = 0; i < 20; i++)
        buffer[i] = '?';
    status = request(BLK_T_GET_ID, 0, 20, 1, &used_len);
    puts_("  status ");
    put_dec(status);
    puts_(" serial '");
    for (int i = 0; i < 20 && buffer[i]; i++)
        putc_((char)buffer[i]);
    puts_("'\n");

    puts_("write sector 1:\n");
    for (int i = 0; i < 512; i++)
        buffer[i] = (uint8_t)(i * 7 + 1);
    status = request(BLK_T_OUT, 1, 512, 0, &used_len);
    puts_("  status ");
    put_dec(status);
    puts_("\n");

    puts_("flush:\n");
    status = request(BLK_T_FLUSH, 0, 0, 0, &used_len);
    puts_("  status ");
    put_dec(status);
    puts_("\n");

    puts_("read sector 1 back:\n");
    for (int i = 0; i < 512; i++)
        buffer[i] = 0;
    status = request(BLK_T_IN, 1, 512, 1, &used_len);
    int same = 1;
    for (int i = 0; i < 512; i++)
        same &= buffer[i] == (uint8_t)(i * 7 + 1);
    puts_("  status ");
    put_dec(status);
    puts_(same ? " data matches\n" : " data differs\n");

    puts_("read past the end:\n");
    status = request(BLK_T_IN, capacity, 512, 1, &used_len);
    puts_("  status ");
    put_dec(status);
    puts_("\n");

    set_reg(STATUS, 0);
    puts_("reset: status ");
    put_dec(reg(STATUS));
    puts_("\ndone\n");
    return 0;
}
