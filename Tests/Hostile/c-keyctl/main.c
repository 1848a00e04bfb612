// Attack: use the kernel keyring (shared per uid, a side channel and an attack surface); must fail.
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
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("keyctl(GET_KEYRING_ID, session)", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0));
    probe("keyctl(JOIN_SESSION_KEYRING)", syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, "polygrader"));
    probe("add_key(user)", syscall(SYS_add_key, "user", "polygrader", "secret", 6, -2 /* process */));
    probe("request_key(user)", syscall(SYS_request_key, "user", "polygrader", NULL, 0));
    return 0;
}
