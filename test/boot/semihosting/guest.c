// A picolibc program that uses the host through semihosting (libsemihost, crt0-semihost):
// printf and argv, files in the current directory, the feature file, the heap, the clock,
// and its exit status. The test runs it under Lantern and QEMU and compares.
//   (no arguments)   the calls QEMU and Lantern answer alike; exits 3
//   confine          names outside the current directory, which Lantern refuses; exits 5
//   echo             reads a line typed on the console (SYS_READC) and prints it; exits 6
#include <errno.h>
#include <fcntl.h>
#include <semihost.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYS_HEAPINFO 0x16
uintptr_t sys_semihost(uintptr_t operation, uintptr_t argument); // libsemihost's trap sequence

static void show_open(const char *name, int flags) {
  errno = 0;
  int fd = open(name, flags, 0644);
  printf("open %s: %s errno=%d\n", name, fd >= 0 ? "ok" : "refused", errno);
  if (fd >= 0) close(fd);
}

static int confine(void) {
  show_open("/etc/hostname", O_RDONLY);
  show_open("../escape.txt", O_WRONLY | O_CREAT | O_TRUNC);
  show_open("sub/../input.txt", O_RDONLY);
  show_open("outside/secret.txt", O_RDONLY);  // a link that leads out of the folder
  show_open("dangling", O_WRONLY | O_CREAT);   // a link to a file not there yet, outside
  errno = 0;
  printf("remove ../input.txt: %d errno=%d\n", remove("../input.txt"), errno);
  int renamed = sys_semihost_rename("input.txt", "/tmp/stolen.txt");
  printf("rename to /tmp: %d errno=%d\n", renamed, sys_semihost_errno());
  char name[64];
  printf("tmpnam: %s\n", sys_semihost_tmpnam(name, 7, sizeof name) == 0 ? name : "(none)");
  printf("system: %d errno=%d\n", sys_semihost_system("true"), sys_semihost_errno());
  return 5;
}

static int echo(void) {
  char line[64];
  int n = 0;
  for (int c; n < 63 && (c = getchar()) != EOF && c != '\n';) line[n++] = (char)c;
  line[n] = 0;
  printf("typed: %s\n", line);
  return 6;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[2], "confine") == 0) return confine();
  if (argc > 2 && strcmp(argv[2], "echo") == 0) return echo();

  printf("hello from picolibc, argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);

  // A file the test wrote in the current directory.
  FILE *in = fopen("input.txt", "r");
  if (!in) {
    printf("fopen input.txt failed: errno=%d\n", errno);
    return 9;
  }
  char buf[64] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, in);
  fclose(in);
  printf("read %u bytes: %s", (unsigned)n, buf);

  // Write, seek, length, rename, read back, remove.
  int fd = open("out.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(fd, "0123456789", 10);
  printf("lseek: %ld\n", (long)lseek(fd, 4, SEEK_SET));
  char four[5] = {0};
  printf("read after seek: %d %s\n", (int)read(fd, four, 4), four);
  printf("flen: %lu\n", (unsigned long)sys_semihost_flen(fd));
  close(fd);
  printf("rename: %d\n", sys_semihost_rename("out.txt", "renamed.txt"));
  fd = open("renamed.txt", O_RDONLY);
  memset(buf, 0, sizeof buf);
  printf("renamed reads back: %d %s\n", (int)read(fd, buf, sizeof buf - 1), buf);
  close(fd);
  FILE *temp = fopen("temp.txt", "w");
  fputs("scratch\n", temp);
  fclose(temp);
  printf("remove: %d\n", remove("temp.txt"));
  FILE *log = fopen("log.txt", "a");
  fputs("appended by the guest\n", log);
  fclose(log);

  errno = 0;
  FILE *missing = fopen("missing.txt", "r");
  printf("missing: %s errno=%d\n", missing ? "opened" : "not found", errno);

  // The feature file: "SHFB" and SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR.
  printf("features: exit_extended=%d stdout_stderr=%d\n", sys_semihost_feature(SH_EXT_EXIT_EXTENDED),
         sys_semihost_feature(SH_EXT_STDOUT_STDERR));
  sys_semihost_write0("write0 reaches the console\n");
  printf("iserror(-1)=%d iserror(0)=%d\n", sys_semihost_iserror(-1), sys_semihost_iserror(0));

  // picolibc 1.8 passes the block itself where the spec (and QEMU) want a pointer to it, so
  // QEMU faults and leaves it zero; the spec's way is called directly.
  struct sys_semihost_block heap;
  sys_semihost_heapinfo(&heap);
  printf("picolibc heap %p..%p\n", heap.heap_base, heap.heap_limit);
  struct sys_semihost_block *block = &heap;
  printf("heapinfo: %ld\n", (long)sys_semihost(SYS_HEAPINFO, (uintptr_t)&block));
  printf("heap %p..%p stack %p..%p\n", heap.heap_base, heap.heap_limit, heap.stack_base, heap.stack_limit);

  printf("tickfreq: %lu\n", (unsigned long)sys_semihost_tickfreq());
  uint64_t elapsed = sys_semihost_elapsed();
  printf("elapsed %s\n", elapsed > 0 ? "advances" : "is zero");
  printf("time %s\n", sys_semihost_time() > 1600000000u ? "is now" : "is wrong");
  exit(3);
}
