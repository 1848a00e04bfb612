// Attack: read our environment, /proc/self and /proc/1 (environ, cmdline, status, mountinfo) for host secrets, pids and paths.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
extern char **environ;
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void dump(const char *path, char sep) {  // print a file, NULs as newlines
    static char buf[1 << 16];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: %s\n", path, en(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) {
        printf("%s: read %s\n", path, en(errno));
        return;
    }
    buf[n] = 0;
    for (char *line = buf; line < buf + n; line += strlen(line) + 1) {
        for (char *p = line; *p; p++)
            if (*p == sep)
                *p = 0;
        printf("%s| %s\n", path, line);
    }
}
static void check_status(void) {  // credentials and confinement of this very process
    FILE *f = fopen("/proc/self/status", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long long caps;
        int v;
        char field[32];
        if (sscanf(line, "%31[^:]:\t%llx", field, &caps) == 2 && !strncmp(field, "Cap", 3) && caps != 0)
            printf("LEAK: %s is %llx\n", field, caps);
        if (sscanf(line, "Uid:\t%d", &v) == 1 && v == 0)
            printf("LEAK: running as uid 0\n");
        if (sscanf(line, "NoNewPrivs:\t%d", &v) == 1 && v != 1)
            printf("LEAK: NoNewPrivs %d\n", v);
        if (sscanf(line, "Seccomp:\t%d", &v) == 1 && v != 2)
            printf("LEAK: Seccomp mode %d\n", v);
        if (!strncmp(line, "Groups:", 7) && strspn(line + 7, " \t\n") != strlen(line + 7))
            printf("LEAK: supplementary groups%s", line + 7);
    }
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *ok[] = {"PATH=", "HOME=", "TMPDIR=", "LANG="};
    for (char **e = environ; *e; e++) {
        int fine = 0;
        for (int i = 0; i < 4; i++)
            fine |= !strncmp(*e, ok[i], strlen(ok[i]));
        printf("env| %s%s\n", *e, fine ? "" : " (LEAK: unexpected variable)");
    }
    dump("/proc/self/environ", 0);
    dump("/proc/self/cmdline", 0);
    dump("/proc/1/environ", 0);
    dump("/proc/1/cmdline", 0);
    dump("/proc/1/status", '\n');
    dump("/proc/self/status", '\n');
    dump("/proc/self/mountinfo", '\n');
    dump("/proc/self/cgroup", '\n');
    check_status();
    return 0;
}
