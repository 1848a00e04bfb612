// Attack: open disk, memory, console and tty devices directly; /dev holds only null zero full random urandom.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *devs[] = {"/dev/sda", "/dev/vda", "/dev/vdb", "/dev/nvme0n1", "/dev/xvda", "/dev/loop0", "/dev/mem",
                          "/dev/kmem", "/dev/port", "/dev/kmsg", "/dev/console", "/dev/tty", "/dev/tty0", "/dev/ptmx",
                          "/dev/pts/0", "/dev/fuse", "/dev/net/tun", "/dev/kvm", "/dev/mapper/control",
                          "/dev/disk/by-uuid", "/dev/userfaultfd", "/dev/shm", "/dev/mqueue", "/dev/hugepages"};
    for (size_t i = 0; i < sizeof devs / sizeof *devs; i++) {
        int fd = open(devs[i], O_RDONLY | O_NONBLOCK);
        printf("open %s: %s\n", devs[i], fd < 0 ? en(errno) : "OK (LEAK)");
        if (fd >= 0)
            close(fd);
    }
    const char *fine[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
    for (size_t i = 0; i < 5; i++) {
        int fd = open(fine[i], O_RDONLY);
        printf("open %s: %s\n", fine[i], fd < 0 ? en(errno) : "works");
        if (fd >= 0)
            close(fd);
    }
    return 0;
}
