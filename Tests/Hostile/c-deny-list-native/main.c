// Attack: every syscall on the deny list (docs/reference/sandbox-profiles.md, "seccomp"), with harmless arguments; each
// must fail EPERM (clone3: ENOSYS).
// Many of these succeed for an unprivileged user on a stock kernel (userns, io_uring, perf, keyctl, fanotify...), so
// only the filter stops them. Arguments are chosen so that even an unfiltered call cannot harm the host.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void probe(const char *what, long r) {
    if (r < 0)
        printf("deny-list %s: %s\n", what, en(errno));
    else
        printf("deny-list %s: OK (LEAK) %ld\n", what, r);
}
#define P(name, call) probe(name, (long)(call))
static long fork_like(long r) {  // raw clone/clone3 that succeeded: the child leaves at once
    if (r == 0)
        syscall(SYS_exit_group, 0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    return r;
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[64], c = 'x';
    struct iovec iov = {buf, sizeof buf};
    // tracing and other processes' memory
    P("ptrace", syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0));
    P("process_vm_readv", syscall(SYS_process_vm_readv, getpid(), &iov, 1, &iov, 1, 0));
    P("process_vm_writev", syscall(SYS_process_vm_writev, getpid(), &iov, 1, &iov, 1, 0));
    P("kcmp", syscall(SYS_kcmp, getpid(), getpid(), 0 /* KCMP_FILE */, 1, 1));
    P("pidfd_getfd", syscall(SYS_pidfd_getfd, 0, 0, 0));
    // mounts
    P("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
    P("umount2", syscall(SYS_umount2, "/tmp", 2 /* MNT_DETACH */));
    P("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"));
    P("chroot", syscall(SYS_chroot, "/tmp"));
    P("move_mount", syscall(SYS_move_mount, -1, "", -1, "", 0));
    P("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/box", 0));
    P("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
    P("fsconfig", syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0));
    P("fsmount", syscall(SYS_fsmount, -1, 0, 0));
    P("fspick", syscall(SYS_fspick, AT_FDCWD, "/box", 0));
    P("mount_setattr", syscall(SYS_mount_setattr, -1, "", 0, NULL, 0));
    // namespaces
    P("unshare(CLONE_NEWUSER)", syscall(SYS_unshare, CLONE_NEWUSER));
    P("unshare(CLONE_NEWNS)", syscall(SYS_unshare, CLONE_NEWNS));
    P("unshare(CLONE_NEWNET)", syscall(SYS_unshare, CLONE_NEWNET));
    P("setns", syscall(SYS_setns, open("/proc/self/ns/uts", O_RDONLY), 0));
    P("clone(CLONE_NEWUSER)", fork_like(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
    P("clone(CLONE_NEWNET)", fork_like(syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0)));
    struct clone_args ca = {.exit_signal = SIGCHLD};
    P("clone3", fork_like(syscall(SYS_clone3, &ca, sizeof ca)));
    // keys
    P("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0));
    P("add_key", syscall(SYS_add_key, "user", "polygrader", "x", 1, -2 /* process keyring */));
    P("request_key", syscall(SYS_request_key, "user", "polygrader", NULL, 0));
    // bpf, perf, userfaultfd, io_uring
    union bpf_attr ba;
    memset(&ba, 0, sizeof ba);
    ba.map_type = BPF_MAP_TYPE_ARRAY, ba.key_size = 4, ba.value_size = 4, ba.max_entries = 1;
    P("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &ba, sizeof ba));
    struct perf_event_attr pa = {.size = sizeof pa, .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CPU_CLOCK,
                                 .exclude_kernel = 1, .exclude_hv = 1};
    P("perf_event_open", syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0));
    P("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC | 1 /* UFFD_USER_MODE_ONLY */));
    struct io_uring_params up;
    memset(&up, 0, sizeof up);
    P("io_uring_setup", syscall(SYS_io_uring_setup, 2, &up));
    P("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
    P("io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0));
    // kernel and machine administration
    P("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
    P("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", 0));
    P("init_module", syscall(SYS_init_module, NULL, 0, ""));
    P("finit_module", syscall(SYS_finit_module, -1, "", 0));
    P("delete_module", syscall(SYS_delete_module, "polygrader_nonexistent", O_NONBLOCK));
    P("reboot", syscall(SYS_reboot, 0x1234, 0x5678, 0, NULL));  // wrong magic numbers: EINVAL even if it got through
    P("swapon", syscall(SYS_swapon, "/nonexistent", 0));
    P("swapoff", syscall(SYS_swapoff, "/nonexistent"));
    P("syslog", syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
    P("acct", syscall(SYS_acct, NULL));
    P("quotactl", syscall(SYS_quotactl, 0x800001 /* Q_SYNC, USRQUOTA */, NULL, 0, NULL));
    // clocks (set to the current time: harmless if it got through)
    struct timeval tv;
    gettimeofday(&tv, NULL);
    P("settimeofday", syscall(SYS_settimeofday, &tv, NULL));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    P("clock_settime", syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
    struct timex tx = {.modes = 0};
    P("adjtimex", syscall(SYS_adjtimex, &tx));
    P("clock_adjtime", syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx));
    // handles, I/O ports, ttys, names, fanotify, uselib
    struct {
        unsigned bytes;
        int type;
        unsigned char h[128];
    } fh = {128, 0, {0}};
    int mount_id;
    P("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/box", &fh, &mount_id, 0));
    P("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY));
    P("iopl", syscall(SYS_iopl, 0));
    P("ioperm", syscall(SYS_ioperm, 0x80, 1, 0));
    P("vhangup", syscall(SYS_vhangup));
    P("sethostname", syscall(SYS_sethostname, "x", 1));
    P("setdomainname", syscall(SYS_setdomainname, "x", 1));
    P("fanotify_init", syscall(SYS_fanotify_init, 0x200 /* FAN_REPORT_FID */, O_RDONLY));
    P("uselib", syscall(SYS_uselib, "/nonexistent"));
    P("ioctl(TIOCSTI)", syscall(SYS_ioctl, 0, TIOCSTI, &c));
    P("ioctl(TIOCLINUX)", syscall(SYS_ioctl, 1, TIOCLINUX, &c));
    // socket families
    P("socket(AF_NETLINK)", syscall(SYS_socket, AF_NETLINK, SOCK_RAW, 0));
    P("socket(AF_PACKET)", syscall(SYS_socket, AF_PACKET, SOCK_RAW, 0));
    P("socket(AF_VSOCK)", syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0));
    printf("all probes done\n");
    return 0;
}
