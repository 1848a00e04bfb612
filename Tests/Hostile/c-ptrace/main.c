// Attack: ptrace ourselves, pid 1 (the jail's init) and our parent, read pid 1's memory; all must fail with EPERM.
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
#include <sys/ptrace.h>
#include <sys/uio.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("ptrace(PTRACE_TRACEME)", syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0));
    probe("ptrace(PTRACE_ATTACH, 1)", syscall(SYS_ptrace, PTRACE_ATTACH, 1, 0, 0));
    probe("ptrace(PTRACE_SEIZE, getppid())", syscall(SYS_ptrace, PTRACE_SEIZE, getppid(), 0, 0));
    char buf[16];
    struct iovec local = {buf, sizeof buf}, remote = {(void *)0x400000, sizeof buf};
    probe("process_vm_readv(1)", syscall(SYS_process_vm_readv, 1, &local, 1, &remote, 1, 0));
    probe("process_vm_readv(self)", syscall(SYS_process_vm_readv, getpid(), &local, 1, &local, 1, 0));
    return 0;
}
