/* probe.c: what the host offers, for isolation levels (docs/reference/sandbox-profiles.md,
 * "Isolation levels"). Each check tries
 * the real thing (a clone with the namespaces, a cgroup layout) rather than guessing. */
#include "jail.h"
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "result.h"

int probe_print(int fd) {
    bool root = geteuid() == 0;
    bool ns = false;
    if (root) {
        pid_t p = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                                                CLONE_NEWCGROUP | SIGCHLD, NULL, NULL, NULL, 0);
        if (p == 0) _exit(0);
        int st;
        if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0) ns = true;
    }
    bool seccomp = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
                   (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &(unsigned){SECCOMP_RET_KILL_PROCESS}) == 0);
    bool openat2 = !(syscall(SYS_openat2, -1, "", NULL, 0) < 0 && errno == ENOSYS);
    char detail[256];
    enum cg_backend cg = cgroup_detect(detail, sizeof detail);
    const char *cgname[] = {"none", "v1", "v2", "hybrid"};
    const char *level = root && ns && seccomp && openat2 ? (cg != CG_NONE ? "full" : "no-cgroup") : "none";
    struct utsname u;
    if (uname(&u) < 0) snprintf(u.release, sizeof u.release, "unknown (uname: %s)", strerror(errno));
    char buf[2048], *p = buf, *end = buf + sizeof buf;
    p += snprintf(p, (size_t)(end - p), "{\"root\":%s,\"namespaces\":%s,\"seccomp\":%s,\"openat2\":%s,\"cgroup\":\"%s\",\"cgroup_detail\":",
                  root ? "true" : "false", ns ? "true" : "false", seccomp ? "true" : "false", openat2 ? "true" : "false", cgname[cg]);
    json_string(&p, end, detail);
    p += snprintf(p, (size_t)(end - p), ",\"kernel\":");
    json_string(&p, end, u.release);
    p += snprintf(p, (size_t)(end - p), ",\"level\":\"%s\",\"missing\":[", level);
    bool first = true;
#define MISSING(cond, text) if (cond) { if (!first) *p++ = ','; json_string(&p, end, text); first = false; }
    MISSING(!root, "root: run polygrader as root (it creates namespaces, mounts and cgroups)");
    MISSING(root && !ns, "namespaces: the kernel refused clone(CLONE_NEWPID|NEWNS|NEWNET|NEWIPC|NEWUTS|NEWCGROUP); in a container, run it privileged or with CAP_SYS_ADMIN");
    MISSING(!seccomp, "seccomp: the kernel lacks CONFIG_SECCOMP_FILTER");
    MISSING(!openat2, "openat2: needs Linux 5.6 or later");
    MISSING(cg == CG_NONE, detail);
    p += snprintf(p, (size_t)(end - p), "]}\n");
    return write_all(fd, buf, (size_t)(p - buf));
}
