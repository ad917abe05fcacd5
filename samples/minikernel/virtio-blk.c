/*
 * A polled virtio-blk driver for either virtio-mmio transport (virtio spec 1.2 section 4.2):
 * legacy (version 1: one page-aligned queue given by its page frame number) and modern
 * (version 2: the VERSION_1 feature, separate descriptor/available/used addresses and
 * QueueReady). One request at a time through a single 8-entry split virtqueue (2.7).
 */
#include "kernel.h"

/* virtio-mmio registers (4.2.2 and, for the legacy ones, 4.2.4). */
#define MMIO_MAGIC 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_DEVICE_FEATURES 0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES 0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_LEGACY_GUEST_PAGE_SIZE 0x028
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_LEGACY_QUEUE_ALIGN 0x03c
#define MMIO_LEGACY_QUEUE_PFN 0x040
#define MMIO_QUEUE_READY 0x044
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_INTERRUPT_STATUS 0x060
#define MMIO_INTERRUPT_ACK 0x064
#define MMIO_STATUS 0x070
#define MMIO_QUEUE_DESC 0x080
#define MMIO_QUEUE_DRIVER 0x090
#define MMIO_QUEUE_DEVICE 0x0a0
#define MMIO_CONFIG 0x100           /* virtio_blk_config: capacity in sectors first */

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8

#define DESC_NEXT 1
#define DESC_WRITE 2                /* the device writes this buffer */
#define BLK_IN 0                    /* read (5.2.6) */
#define BLK_OUT 1                   /* write */
#define QUEUE_SIZE 8
#define SECTOR 512

struct desc { u64 addr; u32 len; u16 flags; u16 next; };
struct avail { u16 flags; u16 idx; u16 ring[QUEUE_SIZE]; };
struct used_elem { u32 id; u32 len; };
struct used { u16 flags; u16 idx; struct used_elem ring[QUEUE_SIZE]; };
struct request_header { u32 type; u32 reserved; u64 sector; };

/* The legacy layout: descriptors and available ring in the first page, used ring in the next. */
static struct {
    struct desc desc[QUEUE_SIZE];
    struct avail avail;
    u8 pad[PAGE_SIZE - QUEUE_SIZE * sizeof(struct desc) - sizeof(struct avail)];
    struct used used;
} queue __attribute__((aligned(PAGE_SIZE)));

static uptr base;
static u16 last_used;
static struct request_header header;
static u8 buffer[SECTOR];
static volatile u8 request_status;

static u32 reg(u32 offset) { return mmio_read32(base + offset); }
static void set_reg(u32 offset, u32 value) { mmio_write32(base + offset, value); }

static int init(u32 *version)
{
    for (int slot = 0; slot < VIRTIO_SLOTS; slot++) {
        base = VIRTIO_BASE + 0x1000 * slot;
        if (reg(MMIO_MAGIC) == 0x74726976 && reg(MMIO_DEVICE_ID) == 2)
            break;
        base = 0;
    }
    if (!base)
        return -1;
    *version = reg(MMIO_VERSION);
    set_reg(MMIO_STATUS, 0);
    set_reg(MMIO_STATUS, STATUS_ACKNOWLEDGE);
    set_reg(MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    u32 status = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
    set_reg(MMIO_DRIVER_FEATURES_SEL, 0);
    set_reg(MMIO_DRIVER_FEATURES, 0);               /* no optional block features */
    if (*version == 2) {
        set_reg(MMIO_DEVICE_FEATURES_SEL, 1);
        if (!(reg(MMIO_DEVICE_FEATURES) & 1))       /* VERSION_1 is feature bit 32 */
            return -2;
        set_reg(MMIO_DRIVER_FEATURES_SEL, 1);
        set_reg(MMIO_DRIVER_FEATURES, 1);
        status |= STATUS_FEATURES_OK;
        set_reg(MMIO_STATUS, status);
        if (!(reg(MMIO_STATUS) & STATUS_FEATURES_OK))
            return -3;
    } else {
        set_reg(MMIO_LEGACY_GUEST_PAGE_SIZE, PAGE_SIZE);
    }
    set_reg(MMIO_QUEUE_SEL, 0);
    if (reg(MMIO_QUEUE_NUM_MAX) < QUEUE_SIZE)
        return -4;
    set_reg(MMIO_QUEUE_NUM, QUEUE_SIZE);
    if (*version == 2) {
        set_reg(MMIO_QUEUE_DESC, (u32)(uptr)queue.desc);
        set_reg(MMIO_QUEUE_DESC + 4, (u32)((uptr)queue.desc >> 32));
        set_reg(MMIO_QUEUE_DRIVER, (u32)(uptr)&queue.avail);
        set_reg(MMIO_QUEUE_DRIVER + 4, (u32)((uptr)&queue.avail >> 32));
        set_reg(MMIO_QUEUE_DEVICE, (u32)(uptr)&queue.used);
        set_reg(MMIO_QUEUE_DEVICE + 4, (u32)((uptr)&queue.used >> 32));
        set_reg(MMIO_QUEUE_READY, 1);
    } else {
        set_reg(MMIO_LEGACY_QUEUE_ALIGN, PAGE_SIZE);
        set_reg(MMIO_LEGACY_QUEUE_PFN, (u32)((uptr)&queue >> 12));
    }
    set_reg(MMIO_STATUS, status | STATUS_DRIVER_OK);
    return 0;
}

/* One request of three descriptors: header, data, status. Polls the used ring. */
static int transfer(u32 type, u64 sector)
{
    header.type = type;
    header.reserved = 0;
    header.sector = sector;
    request_status = 0xff;
    queue.desc[0] = (struct desc){ (uptr)&header, sizeof header, DESC_NEXT, 1 };
    queue.desc[1] = (struct desc){ (uptr)buffer, SECTOR, DESC_NEXT | (type == BLK_IN ? DESC_WRITE : 0), 2 };
    queue.desc[2] = (struct desc){ (uptr)&request_status, 1, DESC_WRITE, 0 };
    queue.avail.ring[queue.avail.idx % QUEUE_SIZE] = 0;
    __asm__ volatile("fence rw, rw" ::: "memory");  /* descriptors before the index */
    queue.avail.idx++;
    __asm__ volatile("fence rw, o" ::: "memory");   /* the index before the notify */
    set_reg(MMIO_QUEUE_NOTIFY, 0);
    while (*(volatile u16 *)&queue.used.idx == last_used)
        ;
    __asm__ volatile("fence i, r" ::: "memory");
    last_used++;
    set_reg(MMIO_INTERRUPT_ACK, reg(MMIO_INTERRUPT_STATUS));
    return request_status;
}

/* FNV-1a, 32 bits: a checksum the test can compute on its side. */
static u32 checksum(const u8 *data, u32 length)
{
    u32 hash = 2166136261U;
    for (u32 i = 0; i < length; i++)
        hash = (hash ^ data[i]) * 16777619U;
    return hash;
}

void disk_test(void)
{
    u32 version = 0;
    int error = init(&version);
    if (error) {
        printf("disk: no virtio-blk device (%d)\n", error);
        return;
    }
    printf("disk: virtio-blk at %lx, transport version %u, %lu sectors\n", base, version,
           mmio_read64(base + MMIO_CONFIG));

    int status = transfer(BLK_IN, 0);
    printf("disk: read sector 0: status %d, checksum %x, \"", status, checksum(buffer, SECTOR));
    for (int i = 0; i < 16 && buffer[i] >= ' ' && buffer[i] < 127; i++)
        putc(buffer[i]);
    printf("\"\n");

    for (int i = 0; i < SECTOR; i++)
        buffer[i] = (u8)(i * 7 + 3);
    u32 written = checksum(buffer, SECTOR);
    status = transfer(BLK_OUT, 1);
    printf("disk: write sector 1: status %d, checksum %x\n", status, written);
    for (int i = 0; i < SECTOR; i++)
        buffer[i] = 0;
    status = transfer(BLK_IN, 1);
    u32 read_back = checksum(buffer, SECTOR);
    printf("disk: read sector 1 back: status %d, checksum %x, %s\n", status, read_back,
           read_back == written ? "same" : "DIFFERENT");
}
