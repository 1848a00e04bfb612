// Attack: become root with setuid(0), setresuid, setgid(0), setgroups, setfsuid under the deny-list policy; no capability, all fail.
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
#include <grp.h>
#include <sys/fsuid.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("setuid(0)", setuid(0));
    probe("setresuid(0, 0, 0)", setresuid(0, 0, 0));
    probe("setgid(0)", setgid(0));
    probe("setresgid(0, 0, 0)", setresgid(0, 0, 0));
    gid_t root = 0;
    probe("setgroups([0])", setgroups(1, &root));
    probe("setreuid(-1, 0)", setreuid(-1, 0));
    probe("setuid(getuid() + 1)", setuid(getuid() + 1));
    setfsuid(0);
    int fsuid = setfsuid(-1);  // setfsuid never fails: read back the current fsuid
    printf("fsuid after setfsuid(0): %d%s\n", fsuid, fsuid == 0 ? " (LEAK)" : "");
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    printf("uids now %d %d %d%s\n", r, e, s, (r && e && s) ? "" : " (LEAK)");
    return 0;
}
