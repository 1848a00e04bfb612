// Attack: read host-wide /proc files from the jvm sandbox (kernel command line, sysctls, load,
// memory, kernel symbols, other namespaces' mounts). Its /proc is the pid subset: none exist.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    const char *paths[] = {"/proc/cmdline", "/proc/sys/kernel/hostname", "/proc/sys/kernel/core_pattern", "/proc/loadavg",
                           "/proc/meminfo", "/proc/cpuinfo", "/proc/stat", "/proc/kallsyms", "/proc/modules", "/proc/cgroups",
                           "/proc/sysrq-trigger", "/proc/version"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int fd = open(paths[i], O_RDONLY);
        if (fd < 0) printf("%s: %s\n", paths[i], strerrorname_np(errno));
        else { printf("%s: readable (LEAK)\n", paths[i]); close(fd); }
    }
    int fd = open("/proc/self/status", O_RDONLY);
    printf("/proc/self/status: %s\n", fd >= 0 ? "readable" : strerrorname_np(errno));
    return 0;
}
