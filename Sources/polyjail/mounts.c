/* mounts.c: the jail's filesystem, built by pid 1 inside its own mount namespace, or once per root
 * as a template that each prepared pid 1 copies ("Templates" below).
 * A tmpfs root holding only read-only nosuid,nodev binds of what the profile names, a minimal
 * /etc, size- and inode-limited /box and /tmp, five device nodes, a private /proc, then
 * pivot_root and detach of the old root. Threats: reading host secrets (/etc/shadow, other
 * boxes, our config), writing host files, setuid binaries, device nodes, filling host disks. */
#include "jail.h"
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define NEWROOT "/run/polyjail/root"
#define E(...) do { snprintf(err, n, __VA_ARGS__); return -1; } while (0)

/* Creates every missing directory of `path` (an absolute path under NEWROOT). */
static int mkdir_p(const char *path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0755) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0755) < 0 && errno != EEXIST) return -1;
    return 0;
}

/* Bind `src` read-only at the same path in the new root. A symlink (merged-/usr /bin → usr/bin)
 * is recreated as that symlink; a file gets an empty file as mount point. */
static int bind_ro(const char *src, bool optional, char *err, size_t n) {
    char dst[4096];
    struct stat st;
    if (lstat(src, &st) < 0) {
        if (optional && errno == ENOENT) return 0;
        E("bind %s: %s", src, strerror(errno));
    }
    snprintf(dst, sizeof dst, NEWROOT "%s", src);
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dst);
    char *slash = strrchr(parent, '/');
    if (slash) { *slash = 0; if (mkdir_p(parent) < 0) E("mkdir %s: %s", parent, strerror(errno)); }
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t len = readlink(src, target, sizeof target - 1);
        if (len < 0) E("readlink %s: %s", src, strerror(errno));
        target[len] = 0;
        if (symlink(target, dst) < 0 && errno != EEXIST) E("symlink %s: %s", dst, strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        if (mkdir(dst, 0755) < 0 && errno != EEXIST) E("mkdir %s: %s", dst, strerror(errno));
    } else {
        int fd = open(dst, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) E("create %s: %s", dst, strerror(errno));
        close(fd);
    }
    if (mount(src, dst, NULL, MS_BIND, NULL) < 0) E("mount(%s, %s, MS_BIND): %s", src, dst, strerror(errno));
    /* The bind keeps the source's flags; only a remount makes it read-only, nosuid, nodev. */
    if (mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
        E("mount(%s, MS_REMOUNT|MS_RDONLY|MS_NOSUID|MS_NODEV): %s", dst, strerror(errno));
    return 0;
}

static int write_file(const char *path, const char *text, char *err, size_t n) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) E("create %s: %s", path, strerror(errno));
    int rc = write_all(fd, text, strlen(text));
    if (close(fd) < 0 && rc == 0) rc = -1;
    if (rc < 0) E("write %s: %s", path, strerror(errno));
    return 0;
}

/* Never all of /etc: file modes are not a boundary. Named entries one by one, plus generated
 * passwd/group/hosts naming only the slot user. */
static int build_etc(struct jail *j, char *err, size_t n) {
    if (mkdir(NEWROOT "/etc", 0755) < 0 && errno != EEXIST) E("mkdir /etc: %s", strerror(errno));
    for (int i = 0; i < j->spec.netc; i++) {
        char pattern[512];
        snprintf(pattern, sizeof pattern, "/etc/%s", j->spec.etc[i]);
        if (strstr(j->spec.etc[i], "..")) E("etc entry %s: '..' is not allowed", j->spec.etc[i]);
        glob_t g;
        if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0) continue; /* missing entries are skipped */
        for (size_t k = 0; k < g.gl_pathc; k++)
            if (bind_ro(g.gl_pathv[k], true, err, n) < 0) { globfree(&g); return -1; }
        globfree(&g);
    }
    char text[512];
    snprintf(text, sizeof text, "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\ngrader:x:%u:%u:grader:/box:/bin/sh\n",
             (unsigned)j->uid, (unsigned)j->gid);
    if (write_file(NEWROOT "/etc/passwd", text, err, n) < 0) return -1;
    snprintf(text, sizeof text, "root:x:0:\ngrader:x:%u:\n", (unsigned)j->gid);
    if (write_file(NEWROOT "/etc/group", text, err, n) < 0) return -1;
    return write_file(NEWROOT "/etc/hosts", "127.0.0.1 localhost\n::1 localhost\n", err, n);
}

static int mount_tmpfs(const char *dst, unsigned long flags, const char *opts, char *err, size_t n) {
    if (mkdir(dst, 0755) < 0 && errno != EEXIST) E("mkdir %s: %s", dst, strerror(errno));
    if (mount("tmpfs", dst, "tmpfs", flags, opts) < 0) E("mount(tmpfs, %s, \"%s\"): %s", dst, opts, strerror(errno));
    return 0;
}

/* Only the five harmless devices; no tty or ptmx (TIOCSTI), no disks. They are created with
 * mknod in a tmpfs that is then remounted read-only (one mount instead of a bind and a remount
 * per device); the program has no CAP_MKNOD and /box and /tmp are nodev. */
const struct device jail_devices[] = {{"null", 3}, {"zero", 5}, {"full", 7}, {"random", 8}, {"urandom", 9}}; /* major 1 */
const int jail_ndevices = sizeof jail_devices / sizeof jail_devices[0];

/* /box (the slot uid's) and /tmp, under `root` ("" once pivoted), with the spec's sizes. */
static int mount_run_dirs(struct jail *j, const char *root, char *err, size_t n) {
    const struct spec *s = &j->spec;
    char dst[4096], opts[256];
    snprintf(opts, sizeof opts, "size=%llu,nr_inodes=%llu,mode=755,uid=%u,gid=%u", (unsigned long long)s->box_size,
             (unsigned long long)s->box_inodes, (unsigned)j->uid, (unsigned)j->gid);
    snprintf(dst, sizeof dst, "%s/box", root);
    if (mount_tmpfs(dst, MS_NOSUID | MS_NODEV, opts, err, n) < 0) return -1;
    snprintf(opts, sizeof opts, "size=%llu,nr_inodes=%llu,mode=1777", (unsigned long long)s->tmp_size, (unsigned long long)s->tmp_inodes);
    snprintf(dst, sizeof dst, "%s/tmp", root);
    return mount_tmpfs(dst, MS_NOSUID | MS_NODEV, opts, err, n);
}

static int mount_shm(const struct spec *s, const char *dst, char *err, size_t n) {
    char opts[128];
    snprintf(opts, sizeof opts, "size=%llu,nr_inodes=256,mode=1777", (unsigned long long)s->shm_size);
    return mount_tmpfs(dst, MS_NOSUID | MS_NODEV | MS_NOEXEC, opts, err, n);
}

/* A /proc of the jail's own pid namespace. hidepid=2: the program sees only its own uid's
 * processes, not pid 1 (root). */
static int mount_proc(const struct spec *s, const char *dst, char *err, size_t n) {
    const char *popts = s->proc == PROC_PID ? "hidepid=2,subset=pid" : "hidepid=2";
    if (mount("proc", dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, popts) < 0) E("mount(proc, \"%s\"): %s", popts, strerror(errno));
    return 0;
}

/* `with_shm`: mount /dev/shm now (a jail of its own); a template leaves the directory empty. */
static int build_dev(struct jail *j, bool with_shm, char *err, size_t n) {
    if (mount_tmpfs(NEWROOT "/dev", MS_NOSUID | MS_NOEXEC, "size=64k,nr_inodes=64,mode=755", err, n) < 0) return -1;
    for (int i = 0; i < j->spec.ndevs; i++) {
        const char *d = j->spec.devs[i];
        int k = -1;
        for (int m = 0; m < jail_ndevices; m++) if (!strcmp(d, jail_devices[m].name)) k = m;
        if (k < 0) E("dev %s: only null, zero, full, random, urandom are allowed", d);
        char dst[128];
        snprintf(dst, sizeof dst, NEWROOT "/dev/%s", d);
        if (mknod(dst, S_IFCHR | 0666, makedev(1, jail_devices[k].minor)) < 0) E("mknod(%s, 1:%u): %s", dst, jail_devices[k].minor, strerror(errno));
        if (chmod(dst, 0666) < 0) E("chmod(%s): %s", dst, strerror(errno)); /* umask must not narrow it */
    }
    const char *links[][2] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"}};
    for (int i = 0; i < 4; i++) {
        char dst[128];
        snprintf(dst, sizeof dst, NEWROOT "/dev/%s", links[i][1]);
        if (symlink(links[i][0], dst) < 0) E("symlink %s: %s", dst, strerror(errno));
    }
    if (j->spec.shm_size) {
        if (!with_shm && mkdir(NEWROOT "/dev/shm", 0755) < 0) E("mkdir /dev/shm: %s", strerror(errno));
        if (with_shm && mount_shm(&j->spec, NEWROOT "/dev/shm", err, n) < 0) return -1;
    }
    return mount(NULL, NEWROOT "/dev", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, "size=64k,nr_inodes=64,mode=755") < 0 ? (snprintf(err, n, "remount /dev ro: %s", strerror(errno)), -1) : 0;
}

/* The root: a tmpfs holding the binds, /etc, /dev and mount points, pivoted to and read-only.
 * For a jail of its own (`template` false) /box, /tmp and /proc are mounted in it too; for a
 * template (below) they stay empty directories that each jail mounts its own on. */
static int build_root(struct jail *j, bool template, char *err, size_t n) {
    const struct spec *s = &j->spec;
    /* Private first: nothing we mount may propagate back to the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) E("mount(/, MS_REC|MS_PRIVATE): %s", strerror(errno));
    if (mount_tmpfs(NEWROOT, MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=512,mode=755", err, n) < 0) return -1;
    /* /box and /tmp, empty, sized again by the request (mounts_request). The box belongs to the
     * slot uid: the prepared program child already has it as its working directory. They come
     * before the binds, so that a bind below /tmp (a checkout in /tmp/...) lands on top of the
     * run's /tmp instead of being hidden by it (such a root gets no template: spec_binds_tmp);
     * its parent directories there are root's, 0755. */
    if (template) {
        if (mkdir(NEWROOT "/box", 0755) < 0 || mkdir(NEWROOT "/tmp", 0755) < 0) E("mkdir /box, /tmp: %s", strerror(errno));
    } else if (mount_run_dirs(j, NEWROOT, err, n) < 0) return -1;
    for (int i = 0; i < s->nbinds; i++) {
        /* A bind into the box would put host files where the learner writes. */
        if (!strcmp(s->binds[i], "/box") || !strncmp(s->binds[i], "/box/", 5)) E("bind %s: nothing may be bound into /box", s->binds[i]);
        if (bind_ro(s->binds[i], s->bind_optional[i], err, n) < 0) return -1;
    }
    if (build_etc(j, err, n) < 0) return -1;
    if (build_dev(j, !template, err, n) < 0) return -1;
    if (s->proc != PROC_NONE) {
        if (mkdir(NEWROOT "/proc", 0555) < 0) E("mkdir /proc: %s", strerror(errno));
        if (!template && mount_proc(s, NEWROOT "/proc", err, n) < 0) return -1;
    }
    /* pivot_root, not chroot: the old root is detached, so no fd or ".." walk leads back. */
    if (chdir(NEWROOT) < 0) E("chdir %s: %s", NEWROOT, strerror(errno));
    if (syscall(SYS_pivot_root, ".", ".") < 0) E("pivot_root(., .): %s", strerror(errno));
    if (umount2(".", MNT_DETACH) < 0) E("umount2(old root, MNT_DETACH): %s", strerror(errno));
    if (chdir("/") < 0) E("chdir /: %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=512,mode=755") < 0)
        E("remount / read-only: %s", strerror(errno));
    return 0;
}

/* pid 1 of a one-shot run, or of a root with a bind below /tmp: the whole root, in its own
 * mount namespace (cloned with CLONE_NEWNS). */
int mounts_build_root(struct jail *j, char *err, size_t n) { return build_root(j, false, err, n); }

/* Templates. Building a root costs about twenty mount calls, and detaching the host's root
 * after pivot_root (like every unmount) waits for an expedited RCU grace period, which
 * interrupts every CPU. A serving helper therefore builds each root once, in a mount namespace
 * that no process stays in: its descriptor is all that holds it. Each prepared pid 1 enters it
 * and unshares a private copy (setns, unshare: no unmount), then mounts its own /box, /tmp,
 * /dev/shm and /proc on the empty directories. The template is read-only and private, so no
 * jail changes it or sees another's mounts; what a jail writes lives in its own tmpfs mounts,
 * which end with its namespace. */
int mounts_template_build(struct jail *j, char *err, size_t n) {
    int status[2] = {-1, -1}, hold[2] = {-1, -1};
    if (pipe2(status, O_CLOEXEC) < 0 || pipe2(hold, O_CLOEXEC) < 0) {
        snprintf(err, n, "pipe2: %s", strerror(errno));
        close_if(&status[0]); close_if(&status[1]);
        return -1;
    }
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid < 0) {
        snprintf(err, n, "clone(CLONE_NEWNS) for a root template: %s", strerror(errno));
        close_if(&status[0]); close_if(&status[1]); close_if(&hold[0]); close_if(&hold[1]);
        return -1;
    }
    if (pid == 0) {
        /* The builder: the root, its first line of status (empty: built), then it stays in the
         * namespace until the supervisor holds its descriptor (EOF on `hold`). */
        char e[JAIL_ERR_LEN] = "";
        int keep[] = {status[1] < hold[0] ? status[1] : hold[0], status[1] < hold[0] ? hold[0] : status[1]};
        if (close_all_but(keep, 2) < 0) snprintf(e, sizeof e, "close_range: %s", strerror(errno));
        else if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) snprintf(e, sizeof e, "prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
        else (void)build_root(j, true, e, sizeof e);
        (void)write_all(status[1], e, strlen(e) + 1);
        char c;
        while (read(hold[0], &c, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    close_if(&status[1]); close_if(&hold[0]);
    char e[JAIL_ERR_LEN];
    size_t got = 0;
    while (got < sizeof e) {
        ssize_t r = read(status[0], e + got, sizeof e - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
        if (memchr(e, 0, got)) break;
    }
    int fd = -1;
    if (got == 0 || !memchr(e, 0, got)) snprintf(err, n, "the root template's builder ended without a status");
    else if (e[0]) snprintf(err, n, "%s", e);
    else {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) snprintf(err, n, "open(%s): %s", path, strerror(errno));
    }
    close_if(&status[0]); close_if(&hold[1]); /* the builder exits */
    int st;
    pid_t w;
    do w = waitpid(pid, &st, 0); while (w < 0 && errno == EINTR);
    if (w < 0) { snprintf(err, n, "waitpid(template builder): %s", strerror(errno)); close_if(&fd); }
    return fd;
}

/* pid 1, while preparing: a private copy of the template, and the run's own mounts on it. */
int mounts_enter_template(struct jail *j, int template_fd, char *err, size_t n) {
    if (setns(template_fd, CLONE_NEWNS) < 0) E("setns(root template): %s", strerror(errno));
    if (unshare(CLONE_NEWNS) < 0) E("unshare(CLONE_NEWNS): %s", strerror(errno));
    if (close(template_fd) < 0) E("close(root template): %s", strerror(errno));
    if (chdir("/") < 0) E("chdir /: %s", strerror(errno));
    if (mount_run_dirs(j, "", err, n) < 0) return -1;
    if (j->spec.shm_size && mount_shm(&j->spec, "/dev/shm", err, n) < 0) return -1;
    if (j->spec.proc != PROC_NONE && mount_proc(&j->spec, "/proc", err, n) < 0) return -1;
    return 0;
}

/* When the request has arrived: /box and /tmp (still empty: nothing has run in this jail) get
 * the request's sizes, unless they were mounted with them (`mounted`: the sizes of the spec the
 * jail was prepared from; most requests repeat them), and /box is filled from the staging
 * directory's descriptor. Returns -2 when the inputs do not fit. */
int mounts_request(struct jail *j, const struct tmpfs_sizes *mounted, int box_from_fd, char *err, size_t n) {
    const struct spec *s = &j->spec;
    char opts[256];
    /* A remount sets the flags anew: nosuid and nodev must be repeated. */
    if (s->box_size != mounted->box_size || s->box_inodes != mounted->box_inodes) {
        snprintf(opts, sizeof opts, "size=%llu,nr_inodes=%llu", (unsigned long long)s->box_size, (unsigned long long)s->box_inodes);
        if (mount("tmpfs", "/box", "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, opts) < 0) E("remount(/box, \"%s\"): %s", opts, strerror(errno));
    }
    if (s->tmp_size != mounted->tmp_size || s->tmp_inodes != mounted->tmp_inodes) {
        snprintf(opts, sizeof opts, "size=%llu,nr_inodes=%llu", (unsigned long long)s->tmp_size, (unsigned long long)s->tmp_inodes);
        if (mount("tmpfs", "/tmp", "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, opts) < 0) E("remount(/tmp, \"%s\"): %s", opts, strerror(errno));
    }
    if (box_from_fd >= 0) {
        int box = open("/box", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (box < 0) E("open /box: %s", strerror(errno));
        int rc = safe_copy_in(box_from_fd, box, j->uid, j->gid, err, n);
        if (close(box) < 0 && rc == 0) E("close /box: %s", strerror(errno));
        if (rc < 0) return rc;
    }
    return 0;
}
