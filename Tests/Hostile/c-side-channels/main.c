// Attack: leave state for a later run (files in /tmp and /dev/shm, an abstract UNIX socket, SysV shm) and look for a previous run's.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *paths[] = {"/tmp/polygrader-side-channel-c", "/dev/shm/polygrader-side-channel-c"};
    for (int i = 0; i < 2; i++) {
        if (access(paths[i], F_OK) == 0)
            printf("%s: found (LEAK: state from a previous run)\n", paths[i]);
        int fd = open(paths[i], O_WRONLY | O_CREAT, 0644);
        printf("%s: %s\n", paths[i], fd < 0 ? en(errno) : "planted");
    }
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("socket(AF_UNIX): %s\n", s < 0 ? en(errno) : "OK");
    if (s >= 0) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        memcpy(a.sun_path, "\0polygrader-side-channel-c", 26);
        if (connect(s, (struct sockaddr *)&a, sizeof a.sun_family + 26) == 0)
            printf("abstract socket: connected (LEAK: a previous run's listener)\n");
    }
    // Last, because shmget is outside the native allow list: a kill here is a pass.
    if (shmget(0x50475243, 4096, 0) >= 0)
        printf("SysV shm: found (LEAK: object from a previous run)\n");
    int id = shmget(0x50475243, 4096, IPC_CREAT | 0666);
    printf("SysV shm: %s\n", id < 0 ? en(errno) : "created");
    return 0;
}
