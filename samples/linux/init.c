/*
 * init for Lantern's Linux suite: the whole userland of the test guest (PID 1, static,
 * built against Debian's riscv64 cross glibc by build.sh). It prints what the test
 * checks, one fact a line, then powers the machine off:
 *   a greeting; /proc/cpuinfo; uname; what /dev/hwrng gives (virtio-rng); double- and single-precision results (printed
 *   exactly, as %a, so they can be compared with QEMU's); three forked children that
 *   compute in the FPU while the parent does too (FP state must survive context switches);
 *   one line read from the console and echoed; reboot(RB_POWER_OFF).
 * With `lantern.net` on the kernel command line it execs nettool (nettool.c) after the greeting instead.
 */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* PID 1 may start without a console: with root on a disk the kernel opens /dev/console
 * only if devtmpfs is mounted; in an initramfs, only if the archive has the node. */
static void ensure_console(void) {
  if (fcntl(1, F_GETFD) != -1) return;
  mkdir("/dev", 0755);
  mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
  int fd = open("/dev/console", O_RDWR);
  if (fd < 0) return;
  dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
  if (fd > 2) close(fd);
}

/* The network tests' guest: `lantern.net` on the kernel command line hands PID 1 to nettool (nettool.c), found
 * at /nettool in the initramfs or /sbin/nettool on the root disk. Needs /proc. */
static void exec_nettool_if_asked(void) {
  char cmdline[1024] = "";
  FILE *f = fopen("/proc/cmdline", "r");
  if (!f) return;
  if (!fgets(cmdline, sizeof cmdline, f)) cmdline[0] = 0;
  fclose(f);
  for (char *word = strtok(cmdline, " \n"); word; word = strtok(NULL, " \n")) {
    if (strcmp(word, "lantern.net") != 0) continue;
    const char *tool = access("/nettool", X_OK) == 0 ? "/nettool" : "/sbin/nettool";
    execl(tool, tool, (char *)NULL);
    printf("cannot exec %s\n", tool);
    return;
  }
}

static void print_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) { printf("cannot open %s\n", path); return; }
  char line[256];
  while (fgets(line, sizeof line, f)) fputs(line, stdout);
  fclose(f);
}

/* Values the compiler cannot fold: read through volatiles. */
static volatile double vd[4] = { 1.0, 3.0, 2.0, 1e-310 };
static volatile float vf[4] = { 1.0f, 3.0f, 2.0f, 1e-40f };

static void double_arithmetic(void) {
  double one = vd[0], three = vd[1], two = vd[2], tiny = vd[3];
  printf("fp64 div 1/3 = %a\n", one / three);
  printf("fp64 sqrt 2 = %a\n", sqrt(two));
  printf("fp64 fma 1/3*3-1 = %a\n", fma(one / three, three, -one));
  printf("fp64 subnormal*3 = %a\n", tiny * three);
  printf("fp64 exp 1 = %a\n", exp(one));
  printf("fp64 sin 3 = %a\n", sin(three));
  printf("fp64 pi = %.17g\n", 4.0 * atan(one));
  printf("fp64 cvt 1e10/3 -> int64 = %lld\n", (long long)(1e10 * one / three));
}

static void single_arithmetic(void) {
  float one = vf[0], three = vf[1], two = vf[2], tiny = vf[3];
  printf("fp32 div 1/3 = %a\n", (double)(one / three));
  printf("fp32 sqrt 2 = %a\n", (double)sqrtf(two));
  printf("fp32 fma 1/3*3-1 = %a\n", (double)fmaf(one / three, three, -one));
  printf("fp32 subnormal*3 = %a\n", (double)(tiny * three));
  printf("fp32 exp 1 = %a\n", (double)expf(one));
  printf("fp32 sin 3 = %a\n", (double)sinf(three));
  printf("fp32 cvt 2.5 -> int = %d\n", (int)(two * 1.25f));
}

/* A long FP recurrence kept in registers across sched_yield(), so another process
 * runs in between and the kernel must save and restore f0-f31 and fcsr. */
static double fp_workload(double seed, int rounds) {
  double a = seed, b = 1.0 / seed, c = 0.0;
  for (int i = 0; i < rounds; i++) {
    for (int j = 0; j < 1000; j++) { a = a * 1.0000001 + b; b = b * 0.9999999 - c * 1e-9; c += a * 1e-12; }
    sched_yield();
  }
  return a + b + c;
}

int main(void) {
  ensure_console();
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("Hello from Linux init on Lantern\n");
  mkdir("/proc", 0555);
  mount("proc", "/proc", "proc", 0, NULL);
  exec_nettool_if_asked();
  printf("--- /proc/cpuinfo\n");
  print_file("/proc/cpuinfo");
  struct utsname u;
  if (uname(&u) == 0)
    printf("--- uname: %s %s %s %s\n", u.sysname, u.release, u.version, u.machine);

  /* A virtio-rng device, when the machine has one: Linux's hw_random picks it. */
  mkdir("/sys", 0555);
  mount("sysfs", "/sys", "sysfs", 0, NULL);
  mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);  /* already there with root on a disk */
  char rng[64] = "";
  FILE *current = fopen("/sys/class/misc/hw_random/rng_current", "r");
  if (current) { if (!fgets(rng, sizeof rng, current)) rng[0] = 0; fclose(current); }
  rng[strcspn(rng, "\n")] = 0;
  int hwrng = open("/dev/hwrng", O_RDONLY);
  unsigned char bytes[16];
  ssize_t got = hwrng >= 0 ? read(hwrng, bytes, sizeof bytes) : -1;
  if (hwrng >= 0) close(hwrng);
  printf("hwrng: %s, read %d bytes\n", rng[0] ? rng : "none", (int)got);

  double_arithmetic();
  single_arithmetic();

  /* Three children and the parent, each with its own FP recurrence: at -smp 1 they
   * take turns on one hart; at -smp 2 they also migrate between harts. */
  enum { CHILDREN = 3 };
  pid_t children[CHILDREN];
  for (int i = 0; i < CHILDREN; i++) {
    children[i] = fork();
    if (children[i] == 0) {
      double r = fp_workload(3.0 + i, 20);
      printf("child %d: fp %a\n", i, r);
      _exit(42 + i);
    }
  }
  double mine = fp_workload(7.0, 20);
  char statuses[64] = "";  /* one printf for the line: the children print meanwhile */
  for (int i = 0; i < CHILDREN; i++) {
    int status = 0, at = (int)strlen(statuses);
    if (children[i] < 0 || waitpid(children[i], &status, 0) != children[i]) snprintf(statuses + at, sizeof statuses - at, " ?");
    else snprintf(statuses + at, sizeof statuses - at, " %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  printf("parent: children exited with%s, parent fp %a\n", statuses, mine);

  printf("type a line: \n");
  char line[256];
  if (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\r\n")] = 0;
    printf("echo: [%s]\n", line);
  } else {
    printf("echo: end of input\n");
  }

  printf("powering off\n");
  sync();
  reboot(RB_POWER_OFF);
  printf("reboot failed\n");
  for (;;) pause();
}
