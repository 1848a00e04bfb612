// Attack: load BPF maps and programs (a kernel attack surface); must fail.
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
#include <linux/bpf.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_type = BPF_MAP_TYPE_ARRAY;
    a.key_size = 4;
    a.value_size = 8;
    a.max_entries = 1;
    probe("bpf(BPF_MAP_CREATE)", syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof a));
    struct bpf_insn prog[] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0}, {.code = BPF_JMP | BPF_EXIT}};
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
    a.insns = (unsigned long)prog;
    a.insn_cnt = 2;
    a.license = (unsigned long)"GPL";
    probe("bpf(BPF_PROG_LOAD)", syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a));
    return 0;
}
