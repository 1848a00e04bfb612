// Attack: x32 ABI syscall numbers under the deny-list policy (x32 mount would dodge a deny list keyed on x86_64 numbers); must be killed.
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
    printf("before x32 syscall\n");
    long r = syscall(0x40000000L | 39);  // x32 getpid: same arch token as x86_64, number with __X32_SYSCALL_BIT
    printf("after x32 getpid: returned %ld errno %s (LEAK: x32 number not killed)\n", r, en(errno));
    r = syscall(0x40000000L | 165, "none", "/tmp", "tmpfs", 0, 0);  // x32 mount
    printf("after x32 mount: returned %ld errno %s (LEAK: x32 number not killed)\n", r, en(errno));
    return 0;
}
