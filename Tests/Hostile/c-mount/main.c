// Attack: mount a tmpfs, remount / read-write, unmount /proc, use the new mount API; all must fail.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
__attribute__((unused)) static void probe(const char *what, long r) {  // a forbidden call that succeeds is a LEAK
    if (r < 0)
        printf("%s: %s\n", what, en(errno));
    else
        printf("%s: OK (LEAK) %ld\n", what, r);
}
#include <fcntl.h>
#include <sys/mount.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("mount(tmpfs, /tmp)", mount("none", "/tmp", "tmpfs", 0, NULL));
    probe("mount(MS_REMOUNT, /)", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
    probe("mount(MS_BIND, /usr -> /box)", mount("/usr", "/box", NULL, MS_BIND, NULL));
    probe("umount2(/proc, MNT_DETACH)", umount2("/proc", MNT_DETACH));
    probe("fsopen(tmpfs)", syscall(SYS_fsopen, "tmpfs", 0));
    probe("open_tree(/, OPEN_TREE_CLONE)", syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */));
    probe("fspick(/)", syscall(SYS_fspick, AT_FDCWD, "/", 0));
    return 0;
}
