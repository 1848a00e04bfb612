/* credentials.c: from root to the slot uid with nothing left. Order matters: the bounding set
 * can only be dropped while we still hold CAP_SETPCAP, i.e. before setresuid. */
#include "jail.h"
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int credentials_drop(uid_t uid, gid_t gid) {
    /* Bounding set: a setuid-root file (nosuid already blocks it) could not regain caps. */
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) { if (errno == EINVAL) break; return -1; }
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) return -1;
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) return -1;
    /* Supplementary groups first: root's groups (disk, shadow…) would otherwise stay. */
    if (setgroups(0, NULL) < 0) return -1;
    if (setresgid(gid, gid, gid) < 0) return -1;
    if (setresuid(uid, uid, uid) < 0) return -1;
    /* Read back: a silently failed uid switch would run the program as root. */
    uid_t r, e, s;
    gid_t rg, eg, sg;
    if (getresuid(&r, &e, &s) || r != uid || e != uid || s != uid) { errno = EPERM; return -1; }
    if (getresgid(&rg, &eg, &sg) || rg != gid || eg != gid || sg != gid) { errno = EPERM; return -1; }
    /* no_new_privs: execve can never grant privileges again (setuid files, file caps). */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -1;
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) { errno = EPERM; return -1; }
    return 0;
}

/* A slot uid must be nobody's: a host user or group with that id (systemd-homed takes
 * 60001-60513, for one) would share files, signals and RLIMIT_NPROC with every run of the
 * slot. getpwuid/getgrgid ask NSS, so homed, LDAP and sssd users count too. A serve helper
 * checks each uid once. */
int slot_ids_check(struct jail *j) {
    if (j->cache && j->cache->ids_checked == j->uid && j->uid != 0) return 0;
    errno = 0;
    struct passwd *pw = getpwuid(j->uid);
    if (pw) {
        jail_fail(j, "slot uid %u is the host user \"%s\": choose a uid_base whose slots no host user or group uses",
                  (unsigned)j->uid, pw->pw_name);
        return -1;
    }
    if (errno && errno != ENOENT && errno != ESRCH && errno != EBADF && errno != EPERM) {
        jail_fail(j, "getpwuid(%u): %s", (unsigned)j->uid, strerror(errno));
        return -1;
    }
    errno = 0;
    struct group *gr = getgrgid(j->gid);
    if (gr) {
        jail_fail(j, "slot gid %u is the host group \"%s\": choose a uid_base whose slots no host user or group uses",
                  (unsigned)j->gid, gr->gr_name);
        return -1;
    }
    if (errno && errno != ENOENT && errno != ESRCH && errno != EBADF && errno != EPERM) {
        jail_fail(j, "getgrgid(%u): %s", (unsigned)j->gid, strerror(errno));
        return -1;
    }
    if (j->cache) j->cache->ids_checked = j->uid;
    return 0;
}
