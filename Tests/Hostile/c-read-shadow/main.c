// Attack: read host secrets (/etc/shadow, sudoers, root's and host ssh keys, /proc/1/root); none may be reachable.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *paths[] = {"/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/sudoers", "/etc/ssh/ssh_host_ed25519_key",
                           "/etc/ssh/ssh_host_rsa_key", "/root/.bash_history", "/root/.ssh/id_rsa",
                           "/root/.ssh/authorized_keys", "/proc/1/root/etc/shadow", "/proc/1/environ",
                           "/proc/1/mem", "/proc/kcore", "/proc/kallsyms", "/sys/kernel/notes",
                           "/etc/polygrader/config.yml", "/etc/xqwatcher.json"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        char buf[64];
        int fd = open(paths[i], O_RDONLY);
        if (fd < 0) {
            printf("open %s: %s\n", paths[i], en(errno));
            continue;
        }
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0)
            printf("read %s: %s\n", paths[i], en(errno));
        else
            printf("read %s: %zd bytes (LEAK)\n", paths[i], n);
        close(fd);
    }
    return 0;
}
