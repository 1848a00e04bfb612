/* seccomp.c: the two policies as tables, compiled once (libseccomp) into a BPF program that
 * the program child only loads. Threats: kernel attack surface (io_uring, bpf, userfaultfd),
 * escapes through namespaces and mounts, snooping on other processes, foreign-arch syscall
 * numbers that would slip past a filter written for x86_64. */
#include "jail.h"
#include <errno.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The deny list of docs/reference/sandbox-profiles.md, "seccomp"; each line says what it stops.
 * Names libseccomp does not know on this architecture are skipped (they cannot be called either). */
const struct deny_rule jail_deny[] = {
    {"ptrace", EPERM, "reading or steering another process"},
    {"process_vm_readv", EPERM, "reading another process's memory"},
    {"process_vm_writev", EPERM, "writing another process's memory"},
    {"kcmp", EPERM, "probing other processes' kernel objects"},
    {"pidfd_getfd", EPERM, "stealing another process's descriptors"},
    {"mount", EPERM, "remounting the jail's filesystem"}, {"umount2", EPERM, "uncovering host paths"},
    {"pivot_root", EPERM, "changing root"}, {"chroot", EPERM, "chroot escapes"},
    {"move_mount", EPERM, "new mount API"}, {"open_tree", EPERM, "new mount API"},
    {"fsopen", EPERM, "new mount API"}, {"fsconfig", EPERM, "new mount API"},
    {"fsmount", EPERM, "new mount API"}, {"fspick", EPERM, "new mount API"},
    {"mount_setattr", EPERM, "new mount API"},
    {"unshare", EPERM, "new namespaces (user namespaces reopen root-only kernel code)"},
    {"setns", EPERM, "joining other namespaces"},
    {"keyctl", EPERM, "kernel keyrings are persistent memory shared across the system"},
    {"add_key", EPERM, "kernel keyrings"}, {"request_key", EPERM, "kernel keyrings"},
    {"bpf", EPERM, "eBPF: a large kernel attack surface"},
    {"perf_event_open", EPERM, "performance counters: side channels and kernel bugs"},
    {"userfaultfd", EPERM, "stalls kernel page faults, the classic race-exploit helper"},
    {"io_uring_setup", EPERM, "io_uring bypasses seccomp for its operations, sockets included"},
    {"io_uring_enter", EPERM, "io_uring"}, {"io_uring_register", EPERM, "io_uring"},
    {"kexec_load", EPERM, "kernel replacement"}, {"kexec_file_load", EPERM, "kernel replacement"},
    {"init_module", EPERM, "module loading"}, {"finit_module", EPERM, "module loading"},
    {"delete_module", EPERM, "module unloading"}, {"reboot", EPERM, "rebooting"},
    {"swapon", EPERM, "swap"}, {"swapoff", EPERM, "swap"}, {"syslog", EPERM, "kernel log"},
    {"acct", EPERM, "process accounting"}, {"quotactl", EPERM, "quotas"}, {"quotactl_fd", EPERM, "quotas"},
    {"settimeofday", EPERM, "the host clock"}, {"clock_settime", EPERM, "the host clock"},
    {"clock_adjtime", EPERM, "the host clock"}, {"adjtimex", EPERM, "the host clock"},
    {"open_by_handle_at", EPERM, "opening host files by handle (the Shocker escape)"},
    {"name_to_handle_at", EPERM, "file handles"},
    {"iopl", EPERM, "I/O ports"}, {"ioperm", EPERM, "I/O ports"}, {"vhangup", EPERM, "terminals"},
    {"sethostname", EPERM, "host name"}, {"setdomainname", EPERM, "domain name"},
    {"fanotify_init", EPERM, "watching host files"}, {"uselib", EPERM, "obsolete loader"},
    {"lookup_dcookie", EPERM, "kernel internals"}, {"nfsservctl", EPERM, "kernel internals"},
    {"modify_ldt", EPERM, "16-bit segments: old kernel bugs, no use in graded code"},
    /* libc falls back to clone, whose flags a classic BPF filter can see. */
    {"clone3", ENOSYS, "clone3 hides its flags in memory a filter cannot read"},
};
const int jail_ndeny = sizeof jail_deny / sizeof jail_deny[0];

#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
                        CLONE_NEWNET | CLONE_NEWCGROUP | 0x00000080 /* CLONE_NEWTIME */)

static int errno_override(const struct spec *s, const char *name) {
    for (int i = 0; i < s->nerrnos; i++)
        if (!strcmp(s->errnos[i].syscall, name)) return s->errnos[i].err;
    return -1;
}

static bool in_allow(const struct spec *s, const char *name) {
    for (int i = 0; i < s->nallow; i++)
        if (!strcmp(s->allow[i], name)) return true;
    return false;
}

/* The kernel reads these arguments as 32-bit ints (clone's flags too: it takes their lower 32
 * bits), so every comparison masks with 0xffffffff: a comparison of all 64 bits would let
 * `(1ull << 32) | AF_NETLINK` pass a rule that the kernel then reads as AF_NETLINK. */
#define ARG32 0xffffffffull

/* The socket families a run may open (docs/reference/sandbox-profiles.md, "seccomp": sockets of
 * other families fail EPERM):
 * AF_UNIX for local IPC, AF_INET/AF_INET6 for exercises on a private loopback. Everything else
 * (netlink talks to kernel subsystems, packet sockets sniff, vsock is not namespaced, AF_ALG is
 * crypto attack surface...) is outside the list. Exported by `polyjail tables`. */
const int jail_socket_families[] = {AF_UNIX, AF_INET, AF_INET6};
const int jail_socket_nfamilies = 3;
/* Raw and packet socket types are refused whatever the family (AF_UNIX accepts SOCK_RAW). */
static const int denied_socket_types[] = {SOCK_RAW, SOCK_PACKET};
#define SOCK_TYPE_BITS 0xfull /* SOCK_TYPE_MASK: the rest are SOCK_CLOEXEC/SOCK_NONBLOCK */
/* personality: only the plain Linux persona (0) and the query (0xffffffff); other flags turn
 * off ASLR (ADDR_NO_RANDOMIZE) or make mappings executable (READ_IMPLIES_EXEC). */
static const uint32_t allowed_personas[] = {0x0, 0xffffffffu};

/* Adds `action` for every 32-bit value of argument `arg` outside `keep[]` (sorted). libseccomp
 * has no masked "not equal", so the complement is covered by prefixes: walking the bits from
 * the top, each branch that holds no kept value becomes one masked comparison. At most 32
 * rules per kept value, each reading only the 32 bits the kernel reads. */
static int add_outside(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned arg, const uint32_t *keep, int nkeep,
                       int depth, uint32_t prefix) {
    uint64_t mask = depth == 0 ? 0 : (ARG32 << (32 - depth)) & ARG32;
    int inside = 0;
    for (int i = 0; i < nkeep; i++)
        if ((keep[i] & mask) == prefix) inside++;
    if (inside == 0) {
        struct scmp_arg_cmp c = {.arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask, .datum_b = prefix};
        return seccomp_rule_add_array(ctx, action, nr, 1, &c);
    }
    if (depth == 32) return 0; /* a kept value */
    uint32_t bit = 1u << (31 - depth);
    return add_outside(ctx, action, nr, arg, keep, nkeep, depth + 1, prefix) |
           add_outside(ctx, action, nr, arg, keep, nkeep, depth + 1, prefix | bit);
}

/* clone, ioctl, socket and personality are allowed or denied by argument. In strict mode an
 * allowed syscall gets the complement of its denials as conditional allows, so no input
 * matches two rules with different actions (libseccomp would pick one). */
static int add_arg_rules(struct jail *j, scmp_filter_ctx ctx) {
    const struct spec *s = &j->spec;
    bool strict = s->policy == POLICY_STRICT;
    uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
    int rc = 0;
    /* clone with any namespace flag: a fresh user namespace gives "root" to the program. */
    if (errno_override(s, "clone") < 0) {
        for (int bit = 0; bit < 32; bit++) {
            uint64_t f = 1ull << bit;
            if (!(CLONE_NS_FLAGS & f)) continue;
            rc |= seccomp_rule_add(ctx, eperm, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, f, f));
        }
        if (strict && in_allow(s, "clone"))
            rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NS_FLAGS, 0));
    }
    /* TIOCSTI pushes characters into a terminal's input (injection into the parent shell). */
    if (errno_override(s, "ioctl") < 0) {
        /* libseccomp cannot express "allow all but these two" with one comparison per argument,
         * so in strict mode ioctl is allowed whole: TIOCSTI and TIOCLINUX need a terminal, and
         * the jail has none (setsid, no tty/ptmx/console in /dev, std fds are pipes and files). */
        if (strict && in_allow(s, "ioctl"))
            rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 0);
        else if (!strict) {
            rc |= seccomp_rule_add(ctx, eperm, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, ARG32, TIOCSTI));
            rc |= seccomp_rule_add(ctx, eperm, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, ARG32, TIOCLINUX));
        }
    }
    /* socket: an allow list of families, and never a raw or packet type. */
    if (errno_override(s, "socket") < 0) {
        uint32_t fams[8];
        int nf = jail_socket_nfamilies;
        for (int i = 0; i < nf; i++) fams[i] = (uint32_t)jail_socket_families[i];
        for (int a = 0; a < nf; a++) /* sorted, as add_outside expects */
            for (int b = a + 1; b < nf; b++)
                if (fams[b] < fams[a]) { uint32_t t = fams[a]; fams[a] = fams[b]; fams[b] = t; }
        rc |= add_outside(ctx, eperm, SCMP_SYS(socket), 0, fams, nf, 0, 0);
        for (size_t i = 0; i < sizeof denied_socket_types / sizeof denied_socket_types[0]; i++)
            rc |= seccomp_rule_add(ctx, eperm, SCMP_SYS(socket), 1,
                                   SCMP_A1(SCMP_CMP_MASKED_EQ, SOCK_TYPE_BITS, (uint64_t)denied_socket_types[i]));
        if (strict && in_allow(s, "socket")) { /* stream, datagram and seqpacket of the allowed families */
            const int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
            for (int i = 0; i < nf; i++)
                for (int t = 0; t < 3; t++)
                    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2, SCMP_A0(SCMP_CMP_MASKED_EQ, ARG32, fams[i]),
                                           SCMP_A1(SCMP_CMP_MASKED_EQ, SOCK_TYPE_BITS, (uint64_t)types[t]));
        }
    }
    if (errno_override(s, "personality") < 0) {
        rc |= add_outside(ctx, eperm, SCMP_SYS(personality), 0, allowed_personas, 2, 0, 0);
        if (strict && in_allow(s, "personality"))
            for (int i = 0; i < 2; i++)
                rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
                                       SCMP_A0(SCMP_CMP_MASKED_EQ, ARG32, allowed_personas[i]));
    }
    return rc;
}

int filter_compile(struct jail *j) {
    const struct spec *s = &j->spec;
    bool strict = s->policy == POLICY_STRICT;
    /* strict: anything not allowed goes to pid 1 as a user notification, which names the
     * syscall and then kills the run (SV). A plain SECCOMP_RET_KILL would lose the name. */
    scmp_filter_ctx ctx = seccomp_init(strict ? SCMP_ACT_NOTIFY : SCMP_ACT_ALLOW);
    if (!ctx) { jail_fail(j, "seccomp_init failed"); return -1; }
    int rc = 0;
    /* A foreign architecture (int 0x80 → i386 numbers, x32) kills: its numbers mean other calls. */
    rc |= seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    rc |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0); /* we set no_new_privs ourselves, checked */
    if (rc) { jail_fail(j, "seccomp_attr_set failed: %s", strerror(-rc)); goto out; }
    /* A binary tree instead of a linear list: loading costs the kernel ~7 µs per instruction on
     * the path it emulates for every syscall (its action cache), so this saves ~150 µs a run.
     * Older libseccomp lacks it, which only costs time. */
    (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    for (int i = 0; i < jail_ndeny; i++) {
        int nr = seccomp_syscall_resolve_name(jail_deny[i].name);
        if (nr == __NR_SCMP_ERROR) continue;
        int e = errno_override(s, jail_deny[i].name);
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(e >= 0 ? e : jail_deny[i].err), nr, 0);
        if (rc) { jail_fail(j, "seccomp_rule_add(%s) failed: %s", jail_deny[i].name, strerror(-rc)); goto out; }
    }
    if (add_arg_rules(j, ctx)) { jail_fail(j, "seccomp argument rules failed"); rc = -1; goto out; }
    for (int i = 0; i < s->nerrnos; i++) {
        int nr = seccomp_syscall_resolve_name(s->errnos[i].syscall);
        if (nr == __NR_SCMP_ERROR) { jail_fail(j, "seccomp: unknown syscall %s", s->errnos[i].syscall); rc = -1; goto out; }
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(s->errnos[i].err), nr, 0);
        if (rc && rc != -EEXIST) { jail_fail(j, "seccomp_rule_add(%s) failed: %s", s->errnos[i].syscall, strerror(-rc)); goto out; }
    }
    if (strict) {
        /* The hand-over of the notification fd to pid 1 needs these before exec. */
        const char *always[] = {"read", "write", "close", "execve", "exit_group"};
        for (size_t i = 0; i < sizeof always / sizeof always[0]; i++) {
            rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(always[i]), 0);
            if (rc && rc != -EEXIST) { jail_fail(j, "seccomp_rule_add(allow %s) failed: %s", always[i], strerror(-rc)); goto out; }
        }
        /* The prepared child lowers its own rlimits after the filter is loaded (inside.c): pid 0 is
         * the caller (pid_t is 32 bits: compared masked). Lowering one's own limits gives nothing;
         * hard = soft, so nothing can be raised. Where the profile allows prlimit64 whole, it is. */
        if (!in_allow(s, "prlimit64")) {
            rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, 0));
            if (rc && rc != -EEXIST) { jail_fail(j, "seccomp_rule_add(allow prlimit64 on self) failed: %s", strerror(-rc)); goto out; }
        }
        for (int i = 0; i < s->nallow; i++) {
            const char *n = s->allow[i];
            if (!strcmp(n, "clone") || !strcmp(n, "ioctl") || !strcmp(n, "socket") || !strcmp(n, "personality") ||
                errno_override(s, n) >= 0) continue;
            int nr = seccomp_syscall_resolve_name(n);
            if (nr == __NR_SCMP_ERROR) { jail_fail(j, "seccomp: unknown syscall %s", n); rc = -1; goto out; }
            rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
            if (rc && rc != -EEXIST) { jail_fail(j, "seccomp_rule_add(allow %s) failed: %s", n, strerror(-rc)); goto out; }
        }
    }
    /* Export once, load many times: the child only calls seccomp(2) with this program. */
    int mfd = memfd_create("polyjail-bpf", MFD_CLOEXEC);
    if (mfd < 0) { jail_fail(j, "memfd_create: %s", strerror(errno)); rc = -1; goto out; }
    rc = seccomp_export_bpf(ctx, mfd);
    if (rc) { close(mfd); jail_fail(j, "seccomp_export_bpf: %s", strerror(-rc)); goto out; }
    off_t size = lseek(mfd, 0, SEEK_END);
    if (size <= 0 || size % sizeof(struct sock_filter)) { close(mfd); jail_fail(j, "seccomp: bad BPF size %ld", (long)size); rc = -1; goto out; }
    struct sock_filter *prog = malloc((size_t)size);
    if (!prog || pread(mfd, prog, (size_t)size, 0) != size) { close(mfd); free(prog); jail_fail(j, "seccomp: reading BPF back failed"); rc = -1; goto out; }
    close(mfd);
    free(j->filter.filter);
    j->filter.filter = prog;
    j->filter.len = (unsigned short)(size / sizeof(struct sock_filter));
    rc = 0;
out:
    seccomp_release(ctx);
    return rc ? -1 : 0;
}

int filter_load(const struct sock_fprog *prog, bool listener) {
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, prog);
}

const char *filter_syscall_name(int nr) {
    char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    return n ? n : "unknown";
}

/* In serve mode the compiled filter is kept while the policy stays the same. */
int filter_prepare(struct jail *j) {
    if (!j->cache) return filter_compile(j);
    const struct spec *s = &j->spec;
    size_t len = 64;
    for (int i = 0; i < s->nallow; i++) len += strlen(s->allow[i]) + 1;
    for (int i = 0; i < s->nerrnos; i++) len += strlen(s->errnos[i].syscall) + 16;
    char *key = malloc(len), *p = key;
    if (!key) { jail_fail(j, "out of memory"); return -1; }
    p += sprintf(p, "%d|", (int)s->policy);
    for (int i = 0; i < s->nallow; i++) p += sprintf(p, "%s,", s->allow[i]);
    for (int i = 0; i < s->nerrnos; i++) p += sprintf(p, "%s=%d,", s->errnos[i].syscall, s->errnos[i].err);
    if (j->cache->filter_key && !strcmp(j->cache->filter_key, key)) {
        free(key);
        size_t bytes = j->cache->filter.len * sizeof(struct sock_filter);
        j->filter.filter = malloc(bytes);
        if (!j->filter.filter) { jail_fail(j, "out of memory"); return -1; }
        memcpy(j->filter.filter, j->cache->filter.filter, bytes);
        j->filter.len = j->cache->filter.len;
        return 0;
    }
    if (filter_compile(j) < 0) { free(key); return -1; }
    free(j->cache->filter_key);
    free(j->cache->filter.filter);
    j->cache->filter_key = key;
    j->cache->filter.len = j->filter.len;
    j->cache->filter.filter = malloc(j->filter.len * sizeof(struct sock_filter));
    if (j->cache->filter.filter) memcpy(j->cache->filter.filter, j->filter.filter, j->filter.len * sizeof(struct sock_filter));
    else { free(j->cache->filter_key); j->cache->filter_key = NULL; }
    return 0;
}
