// Attack: 32-bit syscall via int 0x80 under the deny-list policy (i386 mount = x86_64 access number); the arch check must kill it.
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
    printf("before int 0x80\n");
    long ret;
    // i386 syscall 21 is mount; x86_64 number 21 is access (allowed): a filter that ignores the arch would let it through
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(21L), "b"(0L), "c"(0L), "d"(0L), "S"(0L), "D"(0L)
                     : "memory", "r8", "r9", "r10", "r11");
    printf("after int 0x80: returned %ld (LEAK: a foreign-arch syscall ran)\n", ret);
    return 0;
}
