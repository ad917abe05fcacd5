/* nettool: the network test tool of Lantern's Linux test guest. init execs it in place of its own sequence when the
 * kernel command line has the word `lantern.net`. It configures the virtio-net NIC for QEMU's user-mode network
 * (guest 10.0.2.15/24, gateway and host 10.0.2.2, DNS 10.0.2.3) with ioctls, then reads commands from the console,
 * one a line after the prompt `nettool> `, and answers each with `key=value` lines ended by `done`, or by one line
 * `error <message>`; `help` lists the commands (the table at the end): TCP and HTTP transfers both ways, UDP, DNS,
 * and ICMP echo (`ping`, with a raw socket: init runs as root). Tests and benchmarks script it through the console,
 * so stdout is unbuffered. Static, built by build.sh against Debian's riscv64 cross glibc. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* QEMU's user-mode network (slirp): its defaults for -netdev user. */
#define GUEST_ADDRESS "10.0.2.15"
#define GUEST_NETMASK "255.255.255.0"
#define GATEWAY_ADDRESS "10.0.2.2"
#define DNS_ADDRESS "10.0.2.3"
#define DNS_PORT 53
#define INTERFACE "eth0"

/* The unit of socket reads and writes: big enough that a 64 MiB transfer is ~1000 system calls. */
#define CHUNK (64 * 1024)
/* How long `udp` waits for its reply (the brief's 5 s), and `resolve` for each of its tries. */
#define UDP_WAIT_MS 5000
#define DNS_WAIT_MS 2000
#define DNS_TRIES 3
/* `ping` waits this long for each echo reply (the brief's 1 s) and sends at most this many requests. */
#define PING_WAIT_MS 1000
#define PING_MAX 65535 /* sequence numbers are 16 bits */
/* The echo's payload: 56 bytes, as iputils ping sends by default. */
#define PING_DATA 56
/* `parallel` gives up when no connection has made progress for this long. */
#define PARALLEL_IDLE_MS 30000
#define PARALLEL_MAX 1000 /* below the default 1024 open files */
/* How much of a body is echoed back as `body=` (the brief's 80), and of a peer's reply as `reply=`. */
#define BODY_LINE_MAX 80
#define REPLY_LINE_MAX 256

static uint8_t chunk[CHUNK];

/* ---- answers ---------------------------------------------------------------------------------------------------- */

/* Every failure prints one `error ...` line and makes its command return -1 (no `done`). */
static int fail(const char *format, ...) {
  char message[512];
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(message, sizeof message, format, arguments);
  va_end(arguments);
  printf("error %s\n", message);
  return -1;
}

/* A failed system call: `error <op>: <strerror>`. Call before anything else can change errno. */
static int fail_errno(const char *op) { return fail("%s: %s", op, strerror(errno)); }

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void sleep_ms(unsigned ms) {
  struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
  while (nanosleep(&t, &t) < 0 && errno == EINTR) {}
}

/* ---- SHA-256 (FIPS 180-4) --------------------------------------------------------------------------------------- */

struct sha256 {
  uint32_t state[8];
  uint8_t block[64];
  size_t used;     /* bytes waiting in block */
  uint64_t length; /* message length in bytes */
};

/* §4.2.2's K (the first 32 bits of the fractional parts of the cube roots of the first 64 primes) and §5.3.3's
 * initial hash value (the same of the square roots of the first 8 primes), computed exactly by sha256_init_tables()
 * rather than typed in. */
static uint32_t sha256_k[64];
static uint32_t sha256_initial[8];

/* floor(frac(prime^(1/degree)) * 2^32) = floor((prime * 2^(32*degree))^(1/degree)) mod 2^32, by bisection on integers. */
static uint32_t root_fraction_bits(unsigned prime, unsigned degree) {
  unsigned __int128 target = (unsigned __int128)prime << (32 * degree);
  uint64_t low = 0, high = (uint64_t)1 << 36; /* the root is below 2^35 for primes below 2^9 and degree 2 or 3 */
  while (high - low > 1) {
    uint64_t middle = low + (high - low) / 2;
    unsigned __int128 power = 1;
    for (unsigned i = 0; i < degree; i++) power *= middle;
    if (power <= target) low = middle; else high = middle;
  }
  return (uint32_t)low;
}

static void sha256_init_tables(void) {
  unsigned found = 0;
  for (unsigned candidate = 2; found < 64; candidate++) {
    int prime = 1;
    for (unsigned divisor = 2; divisor * divisor <= candidate; divisor++)
      if (candidate % divisor == 0) { prime = 0; break; }
    if (!prime) continue;
    if (found < 8) sha256_initial[found] = root_fraction_bits(candidate, 2);
    sha256_k[found++] = root_fraction_bits(candidate, 3);
  }
}

static uint32_t rotate_right(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

/* §6.2.2: one 512-bit block into the state. */
static void sha256_block(uint32_t state[8], const uint8_t *block) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 | (uint32_t)block[4 * t + 2] << 8 | block[4 * t + 3];
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = rotate_right(w[t - 15], 7) ^ rotate_right(w[t - 15], 18) ^ (w[t - 15] >> 3);  /* σ0, §4.1.2 */
    uint32_t s1 = rotate_right(w[t - 2], 17) ^ rotate_right(w[t - 2], 19) ^ (w[t - 2] >> 10);   /* σ1 */
    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; t++) {
    uint32_t big_s1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25); /* Σ1 */
    uint32_t choose = (e & f) ^ (~e & g);
    uint32_t t1 = h + big_s1 + choose + sha256_k[t] + w[t];
    uint32_t big_s0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22); /* Σ0 */
    uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = big_s0 + majority;
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

static void sha256_start(struct sha256 *hash) {
  memcpy(hash->state, sha256_initial, sizeof hash->state);
  hash->used = 0;
  hash->length = 0;
}

/* `hash off` (for benchmarks) skips SHA-256 over the data: a few dozen instructions a byte on this guest. */
static int hashing = 1;

static void sha256_update(struct sha256 *hash, const void *data, size_t size) {
  if (!hashing) return;
  const uint8_t *bytes = data;
  hash->length += size;
  if (hash->used > 0) {
    size_t take = 64 - hash->used < size ? 64 - hash->used : size;
    memcpy(hash->block + hash->used, bytes, take);
    hash->used += take; bytes += take; size -= take;
    if (hash->used < 64) return;
    sha256_block(hash->state, hash->block);
    hash->used = 0;
  }
  for (; size >= 64; bytes += 64, size -= 64) sha256_block(hash->state, bytes);
  memcpy(hash->block, bytes, size);
  hash->used = size;
}

/* §5.1.1's padding (a 1 bit, zeros, the 64-bit length in bits), then the digest in hex. */
static void sha256_hex(struct sha256 *hash, char hex[65]) {
  if (!hashing) {
    strcpy(hex, "off");
    return;
  }
  uint64_t bits = hash->length * 8;
  uint8_t tail[72] = { 0x80 };
  size_t pad = (hash->used < 56 ? 56 : 120) - hash->used;
  for (int i = 0; i < 8; i++) tail[pad + i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(hash, tail, pad + 8);
  for (int i = 0; i < 8; i++) snprintf(hex + 8 * i, 9, "%08x", hash->state[i]);
}

/* FIPS 180-4's example (its "SHA256.pdf" example document): SHA-256("abc"). */
static int sha256_self_test(void) {
  struct sha256 hash;
  char hex[65];
  sha256_start(&hash);
  sha256_update(&hash, "abc", 3);
  sha256_hex(&hash, hex);
  return strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0 ? 0 : -1;
}

/* ---- the test pattern ------------------------------------------------------------------------------------------- */

/* The bytes `send` writes and `serve /bytes/N` answers (and the host's servers send for `recv`): byte i of a stream is
 * (i * 7 + i / 4096) & 0xff. The *7 makes neighbouring bytes differ; the i / 4096 term shifts the sequence every 4 KiB,
 * so a page dropped, doubled or swapped changes the hash (a pure i * 7 pattern repeats every 256 bytes). */
static uint8_t pattern_byte(uint64_t i) { return (uint8_t)((i * 7 + i / 4096) & 0xff); }

/* Every 4 KiB block of the pattern, by block number mod 256 (q): block q's byte k is (7k + q) & 0xff, since 7i mod 256
 * only depends on i mod 4096. 1 MiB, made on first use; then filling is memcpy and checking is memcmp, so a benchmark's
 * guest spends well under an instruction a byte on the pattern. */
static uint8_t (*pattern_blocks)[4096];

/* Fills (check 0) or checks `size` pattern bytes from stream offset `offset`: with `check`, counts the bytes of `buffer`
 * that differ from the pattern instead of writing them. */
static uint64_t pattern_run(uint8_t *buffer, uint64_t offset, size_t size, int check) {
  if (!pattern_blocks) {
    pattern_blocks = malloc(256 * sizeof *pattern_blocks);
    if (!pattern_blocks) { fail("pattern: out of memory"); exit(1); }
    for (unsigned q = 0; q < 256; q++)
      for (unsigned k = 0; k < 4096; k++) pattern_blocks[q][k] = pattern_byte((uint64_t)q * 4096 + k);
  }
  uint64_t differ = 0;
  for (size_t i = 0; i < size; ) {
    uint64_t at = offset + i;
    size_t within = (size_t)(at % 4096), run = 4096 - within;
    if (run > size - i) run = size - i;
    const uint8_t *expected = &pattern_blocks[(at / 4096) % 256][within];
    if (!check) memcpy(buffer + i, expected, run);
    else if (memcmp(buffer + i, expected, run) != 0) {
      for (size_t k = 0; k < run; k++) differ += buffer[i + k] != expected[k];
    }
    i += run;
  }
  return differ;
}

static void pattern_fill(uint8_t *buffer, uint64_t offset, size_t size) { pattern_run(buffer, offset, size, 0); }

/* ---- numbers and addresses -------------------------------------------------------------------------------------- */

static int parse_number(const char *text, uint64_t max, uint64_t *value) {
  char *end;
  errno = 0;
  unsigned long long parsed = strtoull(text, &end, 10);
  if (text[0] < '0' || text[0] > '9' || *end || errno || parsed > max) return fail("bad number: %s", text);
  *value = parsed;
  return 0;
}

static int resolve_name(const char *name, struct in_addr *address);

/* HOST is a dotted quad or a name `resolve` can look up. */
static int socket_address(const char *host, const char *port_text, struct sockaddr_in *address) {
  uint64_t port;
  if (parse_number(port_text, 65535, &port) < 0) return -1;
  memset(address, 0, sizeof *address);
  address->sin_family = AF_INET;
  address->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &address->sin_addr) == 1) return 0;
  return resolve_name(host, &address->sin_addr);
}

/* ---- DNS (RFC 1035) --------------------------------------------------------------------------------------------- */

/* §4.1.1's header, §4.1.2's question: one recursive A query for NAME. Returns its length, or -1. */
static int dns_query(const char *name, uint16_t id, uint8_t *message, size_t capacity) {
  size_t at = 12;
  memset(message, 0, 12);
  message[0] = (uint8_t)(id >> 8); message[1] = (uint8_t)id;
  message[2] = 0x01;   /* RD: recursion desired (opcode 0, a query) */
  message[5] = 1;      /* QDCOUNT */
  const char *label = name;
  for (;;) {
    size_t length = strcspn(label, ".");
    if (length == 0 || length > 63 || at + length + 1 + 5 > capacity) return -1; /* §2.3.4: labels of 1 to 63 octets */
    message[at++] = (uint8_t)length;
    memcpy(message + at, label, length);
    at += length;
    label += length;
    if (*label == 0 || (label[0] == '.' && label[1] == 0)) break; /* a trailing dot is the root */
    label++;
  }
  if (at > 12 + 255) return -1; /* §2.3.4: names of at most 255 octets */
  message[at++] = 0;             /* the root label */
  message[at++] = 0; message[at++] = 1; /* QTYPE A */
  message[at++] = 0; message[at++] = 1; /* QCLASS IN */
  return (int)at;
}

/* §4.1.4: a name is labels ending at a zero octet or at a two-octet pointer. The offset after it, or -1. */
static long dns_skip_name(const uint8_t *message, size_t size, size_t at) {
  for (;;) {
    if (at >= size) return -1;
    uint8_t length = message[at];
    if (length == 0) return (long)at + 1;
    if ((length & 0xc0) == 0xc0) return at + 2 <= size ? (long)at + 2 : -1;
    if (length & 0xc0) return -1; /* 01 and 10 are reserved */
    at += 1 + length;
  }
}

static unsigned dns_u16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }

/* The first A record of the answer section, after checking the reply is to our query. 0, or -1 after an error line. */
static int dns_answer(const uint8_t *message, size_t size, uint16_t id, const char *name, struct in_addr *address) {
  if (size < 12 || dns_u16(message) != id || !(message[2] & 0x80)) return fail("resolve: not a reply to our query");
  unsigned rcode = message[3] & 0x0f;
  if (rcode == 3) return fail("resolve: %s: no such name", name);
  if (rcode != 0) return fail("resolve: %s: server answered rcode %u", name, rcode);
  unsigned questions = dns_u16(message + 4), answers = dns_u16(message + 6);
  long at = 12;
  for (unsigned i = 0; i < questions; i++) {
    at = dns_skip_name(message, size, (size_t)at);
    if (at < 0 || (size_t)at + 4 > size) return fail("resolve: malformed reply");
    at += 4;
  }
  for (unsigned i = 0; i < answers; i++) {
    at = dns_skip_name(message, size, (size_t)at);
    if (at < 0 || (size_t)at + 10 > size) return fail("resolve: malformed reply");
    unsigned type = dns_u16(message + at), class = dns_u16(message + at + 2), length = dns_u16(message + at + 8);
    at += 10;
    if ((size_t)at + length > size) return fail("resolve: malformed reply");
    if (type == 1 && class == 1 && length == 4) { memcpy(&address->s_addr, message + at, 4); return 0; }
    at += length; /* a CNAME or another type: its target's A record follows */
  }
  return fail("resolve: %s: no A record", name);
}

static int resolve_name(const char *name, struct in_addr *address) {
  uint8_t query[512], reply[512]; /* §2.3.4: UDP messages of at most 512 octets */
  uint16_t id = (uint16_t)(now_ms() * 1000);
  int query_size = dns_query(name, id, query, sizeof query);
  if (query_size < 0) return fail("resolve: bad name: %s", name);
  struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons(DNS_PORT) };
  inet_pton(AF_INET, DNS_ADDRESS, &server.sin_addr);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno("resolve: socket");
  if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0) { fail_errno("resolve: connect"); close(fd); return -1; }
  for (int try = 0; try < DNS_TRIES; try++) {
    if (send(fd, query, (size_t)query_size, 0) < 0) { fail_errno("resolve: send"); close(fd); return -1; }
    struct pollfd wait = { .fd = fd, .events = POLLIN };
    double deadline = now_ms() + DNS_WAIT_MS;
    for (;;) {
      int left = (int)(deadline - now_ms());
      if (left <= 0 || poll(&wait, 1, left) <= 0) break;
      ssize_t got = recv(fd, reply, sizeof reply, 0);
      if (got < 0) { fail_errno("resolve: recv"); close(fd); return -1; }
      if (got >= 2 && dns_u16(reply) != id) continue; /* a late answer to an earlier try */
      int result = dns_answer(reply, (size_t)got, id, name, address);
      close(fd);
      return result;
    }
  }
  close(fd);
  return fail("resolve: %s: no answer from %s", name, DNS_ADDRESS);
}

/* ---- network setup ---------------------------------------------------------------------------------------------- */

static void set_ipv4(struct sockaddr *into, const char *dotted) {
  struct sockaddr_in address = { .sin_family = AF_INET };
  inet_pton(AF_INET, dotted, &address.sin_addr);
  memcpy(into, &address, sizeof address);
}

static int interface_up(int fd, const char *name) {
  struct ifreq request;
  memset(&request, 0, sizeof request);
  snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
  if (ioctl(fd, SIOCGIFFLAGS, &request) < 0) return -1;
  request.ifr_flags |= IFF_UP;
  return ioctl(fd, SIOCSIFFLAGS, &request);
}

static int interface_set(int fd, const char *name, unsigned long which, const char *dotted) {
  struct ifreq request;
  memset(&request, 0, sizeof request);
  snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
  set_ipv4(&request.ifr_addr, dotted);
  return ioctl(fd, which, &request);
}

/* lo up (Linux gives it 127.0.0.1/8 itself), eth0 addressed and up, the default route via the gateway. The address
 * goes first: SIOCSIFADDR sets the classful mask (/8 for 10.x), SIOCSIFNETMASK then narrows it and the broadcast.
 * NULL, or the step that failed (errno says why). */
static const char *network_setup(int fd) {
  if (interface_up(fd, "lo") < 0) return "lo up";
  if (interface_set(fd, INTERFACE, SIOCSIFADDR, GUEST_ADDRESS) < 0) return INTERFACE " address " GUEST_ADDRESS;
  if (interface_set(fd, INTERFACE, SIOCSIFNETMASK, GUEST_NETMASK) < 0) return INTERFACE " netmask " GUEST_NETMASK;
  if (interface_up(fd, INTERFACE) < 0) return INTERFACE " up";
  struct rtentry route;
  char device[] = INTERFACE;
  memset(&route, 0, sizeof route);
  set_ipv4(&route.rt_dst, "0.0.0.0");
  set_ipv4(&route.rt_genmask, "0.0.0.0");
  set_ipv4(&route.rt_gateway, GATEWAY_ADDRESS);
  route.rt_flags = RTF_UP | RTF_GATEWAY;
  route.rt_dev = device;
  if (ioctl(fd, SIOCADDRT, &route) < 0 && errno != EEXIST) return "default route via " GATEWAY_ADDRESS;
  return NULL;
}

/* ---- sockets ---------------------------------------------------------------------------------------------------- */

static int tcp_connect(const char *host, const char *port) {
  struct sockaddr_in address;
  if (socket_address(host, port, &address) < 0) return -1;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno("socket");
  if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) { fail_errno("connect"); close(fd); return -1; }
  return fd;
}

static int write_all(int fd, const void *data, size_t size) {
  const uint8_t *bytes = data;
  while (size > 0) {
    ssize_t wrote = write(fd, bytes, size);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) return -1;
    bytes += wrote; size -= (size_t)wrote;
  }
  return 0;
}

static ssize_t read_some(int fd, void *into, size_t size) {
  ssize_t got;
  do got = read(fd, into, size); while (got < 0 && errno == EINTR);
  return got;
}

/* The first line of a stream, as it comes in pieces: up to limit (at most REPLY_LINE_MAX) characters, \r dropped. */
struct first_line {
  char text[REPLY_LINE_MAX + 1];
  size_t used, limit;
  int complete;
};

static void first_line_feed(struct first_line *line, const uint8_t *data, size_t size) {
  for (size_t i = 0; i < size && !line->complete; i++) {
    if (data[i] == '\n' || line->used == line->limit) line->complete = 1;
    else if (data[i] != '\r') line->text[line->used++] = (char)data[i];
  }
  line->text[line->used] = 0;
}

/* ---- HTTP/1.0 responses, parsed as they stream in --------------------------------------------------------------- */

#define HTTP_HEAD_MAX 8192

struct http_response {
  char head[HTTP_HEAD_MAX + 1];
  size_t head_used;
  int head_complete;           /* the blank line has come */
  int head_too_long;
  int status;                  /* 0 until parsed */
  long long content_length;    /* -1 without the header */
  uint64_t body_bytes;
  struct sha256 body_hash;
  struct first_line body_line;
  uint8_t *body;               /* kept only when keep_body (for `parallel`'s hash in connection order) */
  size_t body_capacity;
  int keep_body;
};

static void http_start(struct http_response *response, int keep_body) {
  memset(response, 0, sizeof *response);
  response->content_length = -1;
  response->keep_body = keep_body;
  response->body_line.limit = BODY_LINE_MAX;
  sha256_start(&response->body_hash);
}

static int http_body(struct http_response *response, const uint8_t *data, size_t size) {
  sha256_update(&response->body_hash, data, size);
  first_line_feed(&response->body_line, data, size);
  if (response->keep_body && size > 0) {
    if (response->body_bytes + size > response->body_capacity) {
      size_t capacity = response->body_capacity ? response->body_capacity : 4096;
      while (capacity < response->body_bytes + size) capacity *= 2;
      uint8_t *grown = realloc(response->body, capacity);
      if (!grown) return -1;
      response->body = grown;
      response->body_capacity = capacity;
    }
    memcpy(response->body + response->body_bytes, data, size);
  }
  response->body_bytes += size;
  return 0;
}

/* The status line's code and Content-Length, from the head (NUL-terminated at the blank line). */
static void http_parse_head(struct http_response *response) {
  int major, minor, status;
  if (sscanf(response->head, "HTTP/%d.%d %d", &major, &minor, &status) == 3) response->status = status;
  for (char *line = strchr(response->head, '\n'); line; line = strchr(line, '\n')) {
    line++;
    if (strncasecmp(line, "Content-Length:", 15) == 0) response->content_length = strtoll(line + 15, NULL, 10);
  }
}

/* Bytes of the response as read. -1 when a kept body cannot grow. */
static int http_feed(struct http_response *response, const uint8_t *data, size_t size) {
  if (response->head_complete) return http_body(response, data, size);
  if (response->head_too_long) return 0;
  size_t old = response->head_used;
  size_t take = HTTP_HEAD_MAX - old < size ? HTTP_HEAD_MAX - old : size;
  memcpy(response->head + old, data, take);
  response->head_used += take;
  response->head[response->head_used] = 0;
  char *end = memmem(response->head + (old >= 3 ? old - 3 : 0), response->head_used - (old >= 3 ? old - 3 : 0), "\r\n\r\n", 4);
  if (!end) {
    if (response->head_used == HTTP_HEAD_MAX) response->head_too_long = 1;
    return 0;
  }
  size_t body_at = (size_t)(end - response->head) + 4;
  size_t body_in_head = response->head_used - body_at;
  response->head_complete = 1;
  response->head_used = body_at;
  if (http_body(response, (uint8_t *)response->head + body_at, body_in_head) < 0) return -1;
  end[2] = 0; /* keep the last header's \r\n for http_parse_head */
  http_parse_head(response);
  return http_body(response, data + take, size - take);
}

/* A whole 200 response: the head, and as many body bytes as Content-Length said (if it said). */
static int http_ok(const struct http_response *response) {
  return response->head_complete && response->status == 200
    && (response->content_length < 0 || (uint64_t)response->content_length == response->body_bytes);
}

static int http_request(char *into, size_t capacity, const char *host, const char *path) {
  int length = snprintf(into, capacity, "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: lantern-nettool\r\n\r\n", path, host);
  return length < 0 || (size_t)length >= capacity ? fail("path too long") : length;
}

/* ---- commands --------------------------------------------------------------------------------------------------- */

/* get HOST PORT PATH: one HTTP/1.0 GET, read to the end. */
static int command_get(char **argument) {
  char request[1024];
  int request_size = http_request(request, sizeof request, argument[0], argument[2]);
  if (request_size < 0) return -1;
  double start = now_ms();
  int fd = tcp_connect(argument[0], argument[1]);
  if (fd < 0) return -1;
  static struct http_response response;
  http_start(&response, 0);
  if (write_all(fd, request, (size_t)request_size) < 0) { fail_errno("get: write"); close(fd); return -1; }
  for (;;) {
    ssize_t got = read_some(fd, chunk, CHUNK);
    if (got < 0) { fail_errno("get: read"); close(fd); return -1; }
    if (got == 0) break;
    http_feed(&response, chunk, (size_t)got);
  }
  close(fd);
  if (!response.head_complete) return fail("get: no complete HTTP head in the response");
  char hex[65];
  sha256_hex(&response.body_hash, hex);
  printf("status=%d\nbytes=%llu\nsha256=%s\nbody=%s\nms=%.0f\n", response.status,
    (unsigned long long)response.body_bytes, hex, response.body_line.text, now_ms() - start);
  return 0;
}

/* /bytes/N, N decimal: the size of the pattern asked for. */
static int bytes_path(const char *path, uint64_t *size) {
  char *end;
  if (strncmp(path, "/bytes/", 7) != 0 || path[7] < '0' || path[7] > '9') return 0;
  errno = 0;
  *size = strtoull(path + 7, &end, 10);
  return *end == 0 && errno == 0;
}

/* One request of `serve`: read the head, answer it, close. */
static int serve_one(int client) {
  char request[4096];
  size_t used = 0;
  while (used < sizeof request - 1) {
    ssize_t got = read_some(client, request + used, sizeof request - 1 - used);
    if (got < 0) return fail_errno("serve: read");
    if (got == 0) break;
    used += (size_t)got;
    request[used] = 0;
    if (strstr(request, "\r\n\r\n") || strstr(request, "\n\n")) break;
  }
  request[used] = 0;
  char path[1024] = "";
  sscanf(request, "GET %1023s", path);
  static const char hello[] = "hello from the guest\n";
  char head[256];
  uint64_t size = 0;
  const char *status = "200 OK", *type = "application/octet-stream", *body = NULL;
  if (strcmp(path, "/hello") == 0) {
    body = hello; size = sizeof hello - 1; type = "text/plain";
  } else if (bytes_path(path, &size)) {
    /* the pattern, written below */
  } else {
    static const char missing[] = "not found\n";
    status = "404 Not Found"; type = "text/plain"; body = missing; size = sizeof missing - 1;
  }
  int head_size = snprintf(head, sizeof head, "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %llu\r\nConnection: close\r\n\r\n",
    status, type, (unsigned long long)size);
  if (write_all(client, head, (size_t)head_size) < 0) return fail_errno("serve: write");
  if (body) {
    if (write_all(client, body, size) < 0) return fail_errno("serve: write");
  } else {
    for (uint64_t at = 0; at < size; ) {
      size_t piece = size - at < CHUNK ? (size_t)(size - at) : CHUNK;
      pattern_fill(chunk, at, piece);
      if (write_all(client, chunk, piece) < 0) return fail_errno("serve: write");
      at += piece;
    }
  }
  /* Half-close, then wait (briefly) for the client's close, so nothing it still sends turns our close into a reset. */
  shutdown(client, SHUT_WR);
  struct pollfd wait = { .fd = client, .events = POLLIN };
  char drain[512];
  while (poll(&wait, 1, 2000) > 0 && read_some(client, drain, sizeof drain) > 0) {}
  return 0;
}

/* serve PORT COUNT: answer COUNT HTTP requests on 0.0.0.0:PORT, one after another. */
static int command_serve(char **argument) {
  uint64_t port, count;
  if (parse_number(argument[0], 65535, &port) < 0 || parse_number(argument[1], 1000000, &count) < 0) return -1;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) return fail_errno("serve: socket");
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_ANY) };
  if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0) { fail_errno("serve: bind"); close(listener); return -1; }
  if (listen(listener, 64) < 0) { fail_errno("serve: listen"); close(listener); return -1; }
  printf("listening=%u\n", (unsigned)port);
  for (uint64_t served = 0; served < count; served++) {
    int client;
    do client = accept4(listener, NULL, NULL, SOCK_CLOEXEC); while (client < 0 && errno == EINTR);
    if (client < 0) { fail_errno("serve: accept"); close(listener); return -1; }
    int result = serve_one(client);
    close(client);
    if (result < 0) { close(listener); return -1; }
  }
  close(listener);
  printf("served=%llu\n", (unsigned long long)count);
  return 0;
}

/* send HOST PORT N: N pattern bytes, a half-close, and whatever the peer answers until it closes. */
static int command_send(char **argument) {
  uint64_t size;
  if (parse_number(argument[2], UINT64_MAX / 8, &size) < 0) return -1;
  double start = now_ms();
  int fd = tcp_connect(argument[0], argument[1]);
  if (fd < 0) return -1;
  struct sha256 hash;
  sha256_start(&hash);
  for (uint64_t at = 0; at < size; ) {
    size_t piece = size - at < CHUNK ? (size_t)(size - at) : CHUNK;
    pattern_fill(chunk, at, piece);
    sha256_update(&hash, chunk, piece);
    if (write_all(fd, chunk, piece) < 0) { fail_errno("send: write"); close(fd); return -1; }
    at += piece;
  }
  if (shutdown(fd, SHUT_WR) < 0) { fail_errno("send: shutdown"); close(fd); return -1; }
  struct first_line reply = { .limit = REPLY_LINE_MAX };
  for (;;) {
    ssize_t got = read_some(fd, chunk, CHUNK);
    if (got < 0) { fail_errno("send: read"); close(fd); return -1; }
    if (got == 0) break;
    first_line_feed(&reply, chunk, (size_t)got);
  }
  close(fd);
  double ms = now_ms() - start;
  char hex[65];
  sha256_hex(&hash, hex);
  printf("reply=%s\nsent=%llu\nsha256=%s\nms=%.0f\n", reply.text, (unsigned long long)size, hex, ms);
  return 0;
}

/* recv HOST PORT: read until the peer closes. */
static int command_recv(char **argument) {
  double start = now_ms();
  int fd = tcp_connect(argument[0], argument[1]);
  if (fd < 0) return -1;
  struct sha256 hash;
  sha256_start(&hash);
  uint64_t total = 0, differ = 0;
  for (;;) {
    ssize_t got = read_some(fd, chunk, CHUNK);
    if (got < 0) { fail_errno("recv: read"); close(fd); return -1; }
    if (got == 0) break;
    sha256_update(&hash, chunk, (size_t)got);
    differ += pattern_run(chunk, total, (size_t)got, 1);
    total += (uint64_t)got;
  }
  close(fd);
  double ms = now_ms() - start;
  char hex[65];
  sha256_hex(&hash, hex);
  printf("bytes=%llu\npattern_errors=%llu\nsha256=%s\nms=%.0f\n", (unsigned long long)total, (unsigned long long)differ, hex, ms);
  return 0;
}

/* slowrecv HOST PORT N MS: a slow reader (4096 bytes, then MS ms asleep), so the receive window fills and closes. */
static int command_slowrecv(char **argument) {
  uint64_t size, pause;
  if (parse_number(argument[2], UINT64_MAX / 8, &size) < 0 || parse_number(argument[3], 600000, &pause) < 0) return -1;
  double start = now_ms();
  int fd = tcp_connect(argument[0], argument[1]);
  if (fd < 0) return -1;
  struct sha256 hash;
  sha256_start(&hash);
  uint64_t total = 0;
  int ended = 0;
  while (total < size && !ended) {
    size_t want = size - total < 4096 ? (size_t)(size - total) : 4096, have = 0;
    while (have < want) {
      ssize_t got = read_some(fd, chunk + have, want - have);
      if (got < 0) { fail_errno("slowrecv: read"); close(fd); return -1; }
      if (got == 0) { ended = 1; break; }
      have += (size_t)got;
    }
    sha256_update(&hash, chunk, have);
    total += have;
    if (total < size && !ended) sleep_ms((unsigned)pause);
  }
  close(fd);
  double ms = now_ms() - start;
  char hex[65];
  sha256_hex(&hash, hex);
  printf("bytes=%llu\nsha256=%s\nms=%.0f\n", (unsigned long long)total, hex, ms);
  return 0;
}

/* parallel HOST PORT PATH N: N connections at once (non-blocking, one poll loop), one GET on each. */
enum connection_state { CONNECTING, SENDING, RECEIVING, FINISHED, FAILED };

struct connection {
  int fd;
  enum connection_state state;
  size_t sent;
  struct http_response response;
};

static int command_parallel(char **argument) {
  uint64_t count;
  struct sockaddr_in address;
  char request[1024];
  if (parse_number(argument[3], PARALLEL_MAX, &count) < 0) return -1;
  if (count == 0) return fail("parallel: N must be at least 1");
  int request_size = http_request(request, sizeof request, argument[0], argument[2]);
  if (request_size < 0 || socket_address(argument[0], argument[1], &address) < 0) return -1;
  struct connection *connections = calloc(count, sizeof *connections);
  struct pollfd *waits = calloc(count, sizeof *waits);
  size_t *waiting = calloc(count, sizeof *waiting); /* waits[k] is connections[waiting[k]] */
  if (!connections || !waits || !waiting) { free(connections); free(waits); free(waiting); return fail("parallel: out of memory"); }
  int result = -1;
  double start = now_ms();
  size_t opened = 0;
  for (; opened < count; opened++) {
    struct connection *c = &connections[opened];
    http_start(&c->response, 1);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) { fail_errno("parallel: socket"); goto out; }
    if (connect(c->fd, (struct sockaddr *)&address, sizeof address) == 0) c->state = SENDING;
    else if (errno == EINPROGRESS) c->state = CONNECTING;
    else c->state = FAILED;
  }
  for (;;) {
    nfds_t active = 0;
    for (size_t i = 0; i < count; i++) {
      struct connection *c = &connections[i];
      if (c->state == FINISHED || c->state == FAILED) continue;
      waits[active] = (struct pollfd){ .fd = c->fd, .events = c->state == RECEIVING ? POLLIN : POLLOUT };
      waiting[active++] = i;
    }
    if (active == 0) break;
    int ready = poll(waits, active, PARALLEL_IDLE_MS);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) { fail_errno("parallel: poll"); goto out; }
    if (ready == 0) { /* no progress for PARALLEL_IDLE_MS: the rest have failed */
      for (nfds_t k = 0; k < active; k++) connections[waiting[k]].state = FAILED;
      break;
    }
    for (nfds_t k = 0; k < active; k++) {
      if (!waits[k].revents) continue;
      struct connection *c = &connections[waiting[k]];
      if (c->state == CONNECTING) {
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0 || error) { c->state = FAILED; continue; }
        c->state = SENDING;
      }
      if (c->state == SENDING) {
        ssize_t wrote = write(c->fd, request + c->sent, (size_t)request_size - c->sent);
        if (wrote < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (wrote < 0) { c->state = FAILED; continue; }
        c->sent += (size_t)wrote;
        if (c->sent == (size_t)request_size) c->state = RECEIVING;
        continue;
      }
      if (c->state == RECEIVING) {
        ssize_t got = read(c->fd, chunk, CHUNK);
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (got < 0) c->state = FAILED;
        else if (got == 0) c->state = FINISHED;
        else if (http_feed(&c->response, chunk, (size_t)got) < 0) { fail("parallel: out of memory"); goto out; }
      }
    }
  }
  /* The bodies of the connections that got a whole 200 response, concatenated in connection order. */
  struct sha256 hash;
  sha256_start(&hash);
  uint64_t ok = 0, bytes = 0;
  for (size_t i = 0; i < count; i++) {
    struct http_response *response = &connections[i].response;
    if (connections[i].state != FINISHED || !http_ok(response)) continue;
    ok++;
    bytes += response->body_bytes;
    sha256_update(&hash, response->body, response->body_bytes);
  }
  char hex[65];
  sha256_hex(&hash, hex);
  printf("ok=%llu\nfailed=%llu\nbytes=%llu\nsha256=%s\nms=%.0f\n", (unsigned long long)ok,
    (unsigned long long)(count - ok), (unsigned long long)bytes, hex, now_ms() - start);
  result = 0;
out:
  for (size_t i = 0; i < opened; i++) { close(connections[i].fd); free(connections[i].response.body); }
  if (opened < count) free(connections[opened].response.body);
  free(connections); free(waits); free(waiting);
  return result;
}

/* udp HOST PORT TEXT: one datagram, and one reply within UDP_WAIT_MS. */
static int command_udp(char **argument) {
  struct sockaddr_in address;
  if (socket_address(argument[0], argument[1], &address) < 0) return -1;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno("udp: socket");
  double start = now_ms();
  if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) { fail_errno("udp: connect"); close(fd); return -1; }
  if (send(fd, argument[2], strlen(argument[2]), 0) < 0) { fail_errno("udp: send"); close(fd); return -1; }
  struct pollfd wait = { .fd = fd, .events = POLLIN };
  int ready = poll(&wait, 1, UDP_WAIT_MS);
  if (ready < 0) { fail_errno("udp: poll"); close(fd); return -1; }
  if (ready == 0) { close(fd); return fail("udp: no reply in %d ms", UDP_WAIT_MS); }
  char reply[2048];
  ssize_t got = recv(fd, reply, sizeof reply - 1, 0);
  if (got < 0) { fail_errno("udp: recv"); close(fd); return -1; }
  close(fd);
  reply[got] = 0;
  reply[strcspn(reply, "\r\n")] = 0;
  printf("reply=%s\nbytes=%zd\nms=%.0f\n", reply, got, now_ms() - start);
  return 0;
}

/* resolve NAME: an A query to QEMU's DNS. */
static int command_resolve(char **argument) {
  struct in_addr address;
  double start = now_ms();
  if (resolve_name(argument[0], &address) < 0) return -1;
  char dotted[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &address, dotted, sizeof dotted);
  printf("address=%s\nms=%.0f\n", dotted, now_ms() - start);
  return 0;
}

/* RFC 1071's Internet checksum: the ones' complement of the ones' complement sum of 16-bit words. */
static uint16_t internet_checksum(const void *data, size_t size) {
  const uint8_t *bytes = data;
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) sum += (uint32_t)bytes[i] << 8 | bytes[i + 1];
  if (size & 1) sum += (uint32_t)bytes[size - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons((uint16_t)~sum);
}

/* Waits up to the deadline for the echo reply to (identifier, sequence) on a raw ICMP socket, whose reads start
 * with the IPv4 header (raw(7)). Other ICMP (other pings, errors) is skipped. 1 when it came, 0 at the deadline. */
static int ping_reply(int fd, uint16_t identifier, uint16_t sequence, double deadline) {
  uint8_t packet[2048];
  struct pollfd wait = { .fd = fd, .events = POLLIN };
  for (;;) {
    int left = (int)(deadline - now_ms());
    if (left <= 0) return 0;
    int ready = poll(&wait, 1, left);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return ready < 0 ? fail_errno("ping: poll") : 0;
    ssize_t got = recv(fd, packet, sizeof packet, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail_errno("ping: recv");
    if ((size_t)got < sizeof(struct iphdr)) continue;
    size_t header = (size_t)(packet[0] & 0x0f) * 4; /* IHL, in 32-bit words (RFC 791) */
    if ((size_t)got < header + sizeof(struct icmphdr)) continue;
    struct icmphdr reply;
    memcpy(&reply, packet + header, sizeof reply);
    if (reply.type == ICMP_ECHOREPLY && ntohs(reply.un.echo.id) == identifier && ntohs(reply.un.echo.sequence) == sequence)
      return 1;
  }
}

/* ping HOST COUNT: COUNT ICMP echo requests (RFC 792), one at a time, each waiting up to PING_WAIT_MS for its reply.
 * The round trip is CLOCK_MONOTONIC's, in the guest, from before sendto to after the matching reply's recv. */
static int command_ping(char **argument) {
  uint64_t count;
  struct sockaddr_in address;
  if (parse_number(argument[1], PING_MAX, &count) < 0) return -1;
  if (count == 0) return fail("ping: COUNT must be at least 1");
  if (socket_address(argument[0], "0", &address) < 0) return -1;
  int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
  if (fd < 0) return fail_errno("ping: socket");
  uint16_t identifier = (uint16_t)getpid() ^ (uint16_t)(now_ms() * 1000);
  uint64_t received = 0;
  double total_us = 0, min_us = 0, max_us = 0;
  for (uint64_t i = 0; i < count; i++) {
    uint8_t request[sizeof(struct icmphdr) + PING_DATA];
    struct icmphdr echo = { .type = ICMP_ECHO, .code = 0 };
    uint16_t sequence = (uint16_t)(i + 1);
    echo.un.echo.id = htons(identifier);
    echo.un.echo.sequence = htons(sequence);
    memcpy(request, &echo, sizeof echo);
    pattern_fill(request + sizeof echo, i * PING_DATA, PING_DATA);
    uint16_t checksum = internet_checksum(request, sizeof request);
    memcpy(request + offsetof(struct icmphdr, checksum), &checksum, sizeof checksum);
    double start = now_ms();
    if (sendto(fd, request, sizeof request, 0, (struct sockaddr *)&address, sizeof address) < 0) {
      fail_errno("ping: sendto"); close(fd); return -1;
    }
    int came = ping_reply(fd, identifier, sequence, start + PING_WAIT_MS);
    if (came < 0) { close(fd); return -1; }
    if (!came) continue;
    double us = (now_ms() - start) * 1e3;
    if (received == 0 || us < min_us) min_us = us;
    if (received == 0 || us > max_us) max_us = us;
    total_us += us;
    received++;
  }
  close(fd);
  printf("sent=%llu\nreceived=%llu\nrtt_avg_us=%.0f\nrtt_min_us=%.0f\nrtt_max_us=%.0f\n", (unsigned long long)count,
    (unsigned long long)received, received ? total_us / (double)received : 0.0, min_us, max_us);
  return 0;
}

static void power_off(void) {
  printf("nettool: powering off\n");
  sync();
  reboot(RB_POWER_OFF);
  fail_errno("reboot");
  if (getpid() != 1) exit(0);
  for (;;) pause(); /* PID 1 must not exit: the kernel would panic */
}

static int command_quit(char **argument) { (void)argument; power_off(); return 0; }

static int command_help(char **argument);

struct command {
  const char *name;
  int arguments;
  int rest_of_line; /* the last argument is the rest of the line, spaces and all */
  const char *usage;
  int (*run)(char **argument);
};

/* hash on|off */
static int command_hash(char **argument) {
  if (strcmp(argument[0], "on") == 0) hashing = 1;
  else if (strcmp(argument[0], "off") == 0) hashing = 0;
  else return fail("hash: on or off, not %s", argument[0]);
  printf("hash=%s\n", hashing ? "on" : "off");
  return 0;
}

static const struct command commands[] = {
  { "get", 3, 0, "get HOST PORT PATH       HTTP/1.0 GET: status= bytes= sha256= body= ms=", command_get },
  { "serve", 2, 0, "serve PORT COUNT         answer COUNT requests: /hello, /bytes/N (the pattern), else 404", command_serve },
  { "send", 3, 0, "send HOST PORT N         N pattern bytes, then read the reply: reply= sent= sha256= ms=", command_send },
  { "recv", 2, 0, "recv HOST PORT           read until EOF: bytes= pattern_errors= sha256= ms=", command_recv },
  { "parallel", 4, 0, "parallel HOST PORT PATH N  N GETs at once: ok= failed= bytes= sha256= ms=", command_parallel },
  { "slowrecv", 4, 0, "slowrecv HOST PORT N MS  read N bytes, 4096 at a time, MS ms apart: bytes= sha256= ms=", command_slowrecv },
  { "udp", 3, 1, "udp HOST PORT TEXT       one datagram, one reply within 5 s: reply= bytes= ms=", command_udp },
  { "ping", 2, 0, "ping HOST COUNT          COUNT ICMP echoes, one at a time, 1 s each: sent= received= rtt_avg_us= rtt_min_us= rtt_max_us=", command_ping },
  { "resolve", 1, 0, "resolve NAME             DNS A query to " DNS_ADDRESS ": address= ms=", command_resolve },
  { "hash", 1, 0, "hash on|off              SHA-256 of the data (on at start; off for benchmarks: sha256=off)", command_hash },
  { "help", 0, 0, "help                     this list", command_help },
  { "quit", 0, 0, "quit                     power off", command_quit },
};

static int command_help(char **argument) {
  (void)argument;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) printf("usage=%s\n", commands[i].usage);
  return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* One line: the command's name, then its arguments split at spaces (the last one maybe the rest of the line). */
static void run_line(char *line) {
  while (is_space(*line)) line++;
  if (!*line) return;
  char *name = line;
  while (*line && !is_space(*line)) line++;
  if (*line) *line++ = 0;
  const struct command *command = NULL;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, name) == 0) command = &commands[i];
  if (!command) { fail("unknown command: %s (try help)", name); return; }
  char *argument[8];
  int count = 0;
  for (;;) {
    while (is_space(*line)) line++;
    if (!*line) break;
    if (count == 8) { count++; break; }
    argument[count++] = line;
    if (command->rest_of_line && count == command->arguments) {
      size_t length = strlen(line);
      while (length > 0 && is_space(line[length - 1])) line[--length] = 0;
      break;
    }
    while (*line && !is_space(*line)) line++;
    if (*line) *line++ = 0;
  }
  if (count != command->arguments) { fail("usage: %s", command->usage); return; }
  if (command->run(argument) == 0) printf("done\n");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGPIPE, SIG_IGN); /* a peer's reset is an error line, not the end of the tool */
  sha256_init_tables();
  if (sha256_self_test() < 0) printf("nettool: error sha256 self-test failed\n");
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const char *failed = fd < 0 ? "socket" : network_setup(fd);
  if (failed) printf("nettool: error %s: %s\n", failed, strerror(errno));
  else printf("nettool: %s up\n", INTERFACE);
  if (fd >= 0) close(fd);
  char line[2048];
  for (;;) {
    printf("nettool> ");
    if (!fgets(line, sizeof line, stdin)) break;
    line[strcspn(line, "\r\n")] = 0;
    run_line(line);
  }
  power_off();
}
