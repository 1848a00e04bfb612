// Attack: run setuid-root binaries (su, passwd, mount, newgrp...); nosuid mounts and no_new_privs must keep euid unprivileged.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void run(char *const argv[]) {
    struct stat st;
    if (stat(argv[0], &st) < 0) {
        printf("%s: %s\n", argv[0], en(errno));
        return;
    }
    int in[2];
    pipe(in);  // we keep the write end open so password prompts block instead of exiting
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    usleep(300000);
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)  // hidepid=2 hides a process that is no longer ours: it gained root credentials
        printf("%s: status unreadable: %s (LEAK: process no longer ours)\n", argv[0], en(errno));
    while (f && fgets(line, sizeof line, f)) {
        int r, e, s, fs;
        if (sscanf(line, "%*[UG]id:\t%d\t%d\t%d\t%d", &r, &e, &s, &fs) == 4)
            printf("%s (mode %o) %.3s r=%d e=%d s=%d fs=%d%s\n", argv[0], st.st_mode & 07777, line, r, e, s, fs,
                   (r && e && s && fs) ? "" : " (LEAK: root id)");
    }
    if (f)
        fclose(f);
    kill(pid, SIGKILL);
    close(in[1]);
    waitpid(pid, NULL, 0);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("no_new_privs: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    struct statvfs sv;
    if (statvfs("/usr/bin", &sv) == 0)
        printf("/usr nosuid: %s\n", (sv.f_flag & ST_NOSUID) ? "yes" : "no (LEAK)");
    run((char *[]){"/usr/bin/su", "-c", "id", "root", NULL});
    run((char *[]){"/usr/bin/passwd", NULL});
    run((char *[]){"/usr/bin/newgrp", "root", NULL});
    run((char *[]){"/usr/bin/chsh", NULL});
    run((char *[]){"/usr/bin/gpasswd", "-a", "grader", "root", NULL});
    mkdir("/box/mnt", 0755);
    run((char *[]){"/usr/bin/mount", "-t", "tmpfs", "none", "/box/mnt", NULL});
    struct stat box, mnt;
    stat("/box", &box);
    stat("/box/mnt", &mnt);
    printf("/box/mnt is a mount point: %s\n", box.st_dev != mnt.st_dev ? "yes (LEAK)" : "no");
    return 0;
}
