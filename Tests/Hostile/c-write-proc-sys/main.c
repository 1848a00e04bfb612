// Attack: open kernel knobs (/proc/sys, /proc/sysrq-trigger) for writing and lower our OOM score; all must be refused.
// Global knobs are only opened, never written, so a broken jail cannot harm the host.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *knobs[] = {"/proc/sysrq-trigger", "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe",
                           "/proc/sys/vm/drop_caches", "/proc/sys/kernel/hostname", "/proc/sys/fs/suid_dumpable",
                           "/proc/sys/net/ipv4/ip_forward", "/proc/1/oom_score_adj", "/proc/1/mem",
                           "/sys/kernel/uevent_helper", "/sys/fs/cgroup/cgroup.procs"};
    for (size_t i = 0; i < sizeof knobs / sizeof *knobs; i++) {
        int fd = open(knobs[i], O_WRONLY);
        printf("open for write %s: %s\n", knobs[i], fd < 0 ? en(errno) : "OK (LEAK)");
        if (fd >= 0)
            close(fd);
    }
    int fd = open("/proc/self/oom_score_adj", O_WRONLY);  // our own file: opening works, lowering needs CAP_SYS_RESOURCE
    if (fd < 0)
        printf("open /proc/self/oom_score_adj: %s\n", en(errno));
    else {
        ssize_t n = write(fd, "-1000", 5);
        printf("write -1000 to /proc/self/oom_score_adj: %s\n", n < 0 ? en(errno) : "OK (LEAK)");
        close(fd);
    }
    return 0;
}
