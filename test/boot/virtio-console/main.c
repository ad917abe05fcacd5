/* A bare-metal virtio-console driver for the virt board, as Linux's virtio_console does it:
 * finds the first console device, negotiates MULTIPORT (and EMERG_WRITE), runs the control
 * handshake (DEVICE_READY, PORT_READY, PORT_OPEN), then writes a transcript of what the
 * device told it through the port's transmitq, one emergency write, and echoes one typed
 * line read from the port's receiveq. Everything after the handshake goes out on the
 * virtconsole itself: run with -serial none, the UART shows nothing. Queues are polled. */
#include <stdint.h>

#define TEST_BASE 0x100000UL
#define VIRTIO_BASE 0x10001000UL
#define VIRTIO_STRIDE 0x1000UL
#define VIRTIO_SLOTS 8

/* virtio-mmio registers (virtio 1.2 section 4.2.2; legacy ones from 4.2.4). */
enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008,
    DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014,
    DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024, GUEST_PAGE_SIZE = 0x028,
    QUEUE_SEL = 0x030, QUEUE_NUM = 0x038, QUEUE_ALIGN = 0x03c, QUEUE_PFN = 0x040,
    QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, STATUS = 0x070,
    QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090,
    QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4,
    CONFIG = 0x100,
};
enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8 };
enum { DESC_WRITE = 2 };
/* virtio-console (5.3): features, queues and control events. */
enum { F_MULTIPORT = 1u << 1, F_EMERG_WRITE = 1u << 2 };
enum { RECEIVEQ = 0, TRANSMITQ = 1, CONTROL_RECEIVEQ = 2, CONTROL_TRANSMITQ = 3, QUEUES = 4 };
enum { DEVICE_READY = 0, DEVICE_ADD = 1, DEVICE_REMOVE = 2, PORT_READY = 3, CONSOLE_PORT = 4, RESIZE = 5, PORT_OPEN = 6, PORT_NAME = 7 };

#define QUEUE_SIZE 8
#define PAGE 4096
#define BUFFER 64

struct desc { uint64_t addr; uint32_t len; uint16_t flags; uint16_t next; };
struct control { uint32_t id; uint16_t event; uint16_t value; };

/* Legacy layout (2.7 "legacy interfaces"), used by both transports: descriptors, the
 * available ring, then the used ring on the next page. */
struct ring {
    struct desc desc[QUEUE_SIZE];
    uint16_t avail_flags, avail_idx, avail_ring[QUEUE_SIZE], used_event;
    uint8_t pad[PAGE - QUEUE_SIZE * 16 - (3 + QUEUE_SIZE) * 2];
    uint16_t used_flags, used_idx;
    struct { uint32_t id, len; } used_ring[QUEUE_SIZE];
    uint16_t avail_event;
    uint8_t pad2[PAGE - 4 - 8 * QUEUE_SIZE - 2];
};
static struct ring rings[QUEUES] __attribute__((aligned(PAGE)));
static uint16_t used_seen[QUEUES];
static uint8_t buffers[QUEUES][QUEUE_SIZE][BUFFER] __attribute__((aligned(16)));

static uintptr_t base;
static uint32_t reg(uint32_t offset) { return *(volatile uint32_t *)(base + offset); }
static void set_reg(uint32_t offset, uint32_t value) { *(volatile uint32_t *)(base + offset) = value; }
static void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }

void poweroff(int status)
{
    volatile uint32_t *test = (volatile uint32_t *)TEST_BASE;
    *test = status == 0 ? 0x5555u : ((uint32_t)status << 16) | 0x3333u;
    for (;;)
        __asm__ volatile("wfi");
}

/* Makes descriptor (avail_idx mod size) available: buffer slot `slot` of queue `q`. */
static void post(int q, const void *data, uint32_t len, int writable)
{
    struct ring *r = &rings[q];
    uint16_t d = r->avail_idx % QUEUE_SIZE;
    uint8_t *buffer = buffers[q][d];
    if (!writable)
        for (uint32_t i = 0; i < len; i++)
            buffer[i] = ((const uint8_t *)data)[i];
    r->desc[d] = (struct desc){ (uintptr_t)buffer, len, writable ? DESC_WRITE : 0, 0 };
    r->avail_ring[d] = d;
    fence();
    r->avail_idx++;
    fence();
    set_reg(QUEUE_NOTIFY, (uint32_t)q);
}

/* The next used buffer of queue q (its bytes and length), or 0 if none yet. */
static uint8_t *take(int q, uint32_t *len)
{
    struct ring *r = &rings[q];
    fence();
    if (*(volatile uint16_t *)&r->used_idx == used_seen[q])
        return 0;
    uint32_t id = r->used_ring[used_seen[q] % QUEUE_SIZE].id;
    *len = r->used_ring[used_seen[q] % QUEUE_SIZE].len;
    used_seen[q]++;
    return buffers[q][id];
}

/* Sends bytes on the port's transmitq and waits for them to be used. */
static void write_port(const char *s, uint32_t len)
{
    while (len) {
        uint32_t chunk = len < BUFFER ? len : BUFFER;
        post(TRANSMITQ, s, chunk, 0);
        uint32_t used;
        while (!take(TRANSMITQ, &used))
            ;
        s += chunk;
        len -= chunk;
    }
}

static void puts_(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    write_port(s, n);
}

static void put_hex(uint32_t v)
{
    char out[10] = { '0', 'x' };
    for (int i = 0; i < 8; i++)
        out[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
    write_port(out, 10);
}

static void put_dec(uint32_t v)
{
    char buf[11];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char out[11];
    int n = 0;
    while (i)
        out[n++] = buf[--i];
    write_port(out, (uint32_t)n);
}

static void send_control(uint32_t id, uint16_t event, uint16_t value)
{
    struct control message = { id, event, value };
    post(CONTROL_TRANSMITQ, &message, sizeof message, 0);
    uint32_t used;
    while (!take(CONTROL_TRANSMITQ, &used))
        ;
}

/* What the device sent on the control receiveq, kept to print once the port is open. */
static char log_[512];
static uint32_t log_len;
static void log_text(const char *s) { while (*s && log_len < sizeof log_ - 1) log_[log_len++] = *s++; }
static void log_dec(uint32_t v)
{
    char buf[11];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i && log_len < sizeof log_ - 1)
        log_[log_len++] = buf[--i];
}

static const char *const EVENTS[] = { "DEVICE_READY", "DEVICE_ADD", "DEVICE_REMOVE", "PORT_READY", "CONSOLE_PORT", "RESIZE", "PORT_OPEN", "PORT_NAME" };

static void setup_queue(int q, int modern)
{
    set_reg(QUEUE_SEL, (uint32_t)q);
    set_reg(QUEUE_NUM, QUEUE_SIZE);
    uintptr_t ring = (uintptr_t)&rings[q];
    if (modern) {
        set_reg(QUEUE_DESC_LOW, (uint32_t)ring);
        set_reg(QUEUE_DESC_HIGH, (uint32_t)(ring >> 32));
        set_reg(QUEUE_DRIVER_LOW, (uint32_t)(uintptr_t)&rings[q].avail_flags);
        set_reg(QUEUE_DRIVER_HIGH, 0);
        set_reg(QUEUE_DEVICE_LOW, (uint32_t)(uintptr_t)&rings[q].used_flags);
        set_reg(QUEUE_DEVICE_HIGH, 0);
        set_reg(QUEUE_READY, 1);
    } else {
        set_reg(QUEUE_ALIGN, PAGE);
        set_reg(QUEUE_PFN, (uint32_t)(ring / PAGE));
    }
}

int main(void)
{
    int slot = -1;
    for (int i = VIRTIO_SLOTS - 1; i >= 0 && slot < 0; i--) {
        base = VIRTIO_BASE + VIRTIO_STRIDE * (uintptr_t)i;
        if (reg(MAGIC) == 0x74726976 && reg(DEVICE_ID) == 3)
            slot = i;
    }
    if (slot < 0)
        poweroff(2);
    uint32_t version = reg(VERSION);
    int modern = version == 2;
    set_reg(STATUS, 0);
    set_reg(STATUS, ACKNOWLEDGE);
    set_reg(STATUS, ACKNOWLEDGE | DRIVER);
    set_reg(DEVICE_FEATURES_SEL, 0);
    uint32_t offered = reg(DEVICE_FEATURES);
    uint32_t accepted = offered & (F_MULTIPORT | F_EMERG_WRITE);
    set_reg(DRIVER_FEATURES_SEL, 0);
    set_reg(DRIVER_FEATURES, accepted);
    if (modern) {
        set_reg(DRIVER_FEATURES_SEL, 1);
        set_reg(DRIVER_FEATURES, 1); /* VIRTIO_F_VERSION_1 */
        set_reg(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        if (!(reg(STATUS) & FEATURES_OK))
            poweroff(4);
    } else {
        set_reg(GUEST_PAGE_SIZE, PAGE);
    }
    for (int q = 0; q < QUEUES; q++)
        setup_queue(q, modern);
    set_reg(STATUS, reg(STATUS) | DRIVER_OK);
    if (!(accepted & F_MULTIPORT))
        poweroff(5);

    /* The handshake: our buffers for the device's messages, then DEVICE_READY. */
    for (int i = 0; i < QUEUE_SIZE; i++)
        post(CONTROL_RECEIVEQ, 0, BUFFER, 1);
    send_control(0, DEVICE_READY, 1);
    int host_open = 0, spins = 0, port = -1;
    while (!host_open) {
        uint32_t len;
        uint8_t *message = take(CONTROL_RECEIVEQ, &len);
        if (!message) {
            if (++spins > 10000000)
                poweroff(6);
            continue;
        }
        struct control c = *(struct control *)message;
        log_text("control: ");
        log_text(c.event < 8 ? EVENTS[c.event] : "?");
        log_text(" id ");
        log_dec(c.id);
        log_text(" value ");
        log_dec(c.value);
        if (c.event == PORT_NAME) {
            log_text(" name ");
            message[len < BUFFER ? len : BUFFER - 1] = 0;
            log_text((const char *)message + sizeof c);
        }
        log_text("\n");
        post(CONTROL_RECEIVEQ, 0, BUFFER, 1); /* give the buffer back */
        switch (c.event) {
        case DEVICE_ADD:
            port = (int)c.id;
            if (port != 0)
                poweroff(7); /* only port 0's queues are set up */
            post(RECEIVEQ, 0, BUFFER, 1);
            send_control(c.id, PORT_READY, 1);
            break;
        case CONSOLE_PORT:
            send_control(c.id, PORT_OPEN, 1); /* a console is open from the start (as Linux's hvc) */
            break;
        case PORT_OPEN:
            host_open = c.value == 1;
            break;
        }
    }

    puts_("virtio-console at slot ");
    put_dec((uint32_t)slot);
    puts_(", version ");
    put_dec(version);
    /* Legacy QEMU also offers NOTIFY_ON_EMPTY and ANY_LAYOUT (bits 24, 27): an "info:" line. */
    puts_("\ninfo: features offered ");
    put_hex(offered);
    puts_("\naccepted ");
    put_hex(accepted);
    puts_("\nconfig cols ");
    put_dec(*(volatile uint16_t *)(base + CONFIG));
    puts_(" rows ");
    put_dec(*(volatile uint16_t *)(base + CONFIG + 2));
    puts_(" max_nr_ports ");
    put_dec(reg(CONFIG + 4));
    puts_("\n");
    write_port(log_, log_len);
    if (accepted & F_EMERG_WRITE) {
        puts_("emergency write: ");
        set_reg(CONFIG + 8, '!');
        set_reg(CONFIG + 8, '\n');
    }

    /* Echo one typed line (ended by a newline or a carriage return). */
    puts_("type a line: ");
    char line[BUFFER];
    uint32_t n = 0;
    for (;;) {
        uint32_t len;
        uint8_t *data = take(RECEIVEQ, &len);
        if (!data)
            continue;
        int done = 0;
        for (uint32_t i = 0; i < len && n < sizeof line; i++) {
            if (data[i] == '\n' || data[i] == '\r')
                done = 1;
            else if (!done)
                line[n++] = (char)data[i];
        }
        if (done)
            break;
        post(RECEIVEQ, 0, BUFFER, 1);
    }
    puts_("\ngot '");
    write_port(line, n);
    puts_("'\n");
    return 0;
}
