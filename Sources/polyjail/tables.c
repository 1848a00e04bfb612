/* tables.c: `polyjail tables`, the jail's fixed facts as one JSON object, so the Swift side
 * validates profiles against the C tables instead of a copy of them (docs/polyjail.md).
 * Needs no root and touches nothing: it only prints. */
#include "jail.h"
#include "result.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

struct out { char buf[16384]; char *p, *end; bool overflow; };

static void put(struct out *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p, (size_t)(o->end - o->p), fmt, ap);
    va_end(ap);
    if (n < 0 || n >= o->end - o->p) { o->overflow = true; return; }
    o->p += n;
}

static void str(struct out *o, const char *s) {
    if (o->end - o->p < (ptrdiff_t)(strlen(s) * 6 + 3)) { o->overflow = true; return; }
    json_string(&o->p, o->end, s);
}

static const char *errno_name(int e) {
    for (int i = 0; i < jail_nerrnos; i++)
        if (jail_errnos[i].err == e) return jail_errnos[i].name;
    return NULL;
}

static const char *family_name(int f) {
    switch (f) {
    case AF_UNIX: return "AF_UNIX";
    case AF_INET: return "AF_INET";
    case AF_INET6: return "AF_INET6";
    default: return NULL;
    }
}

int tables_print(int fd) {
    static struct out o;
    o.p = o.buf; o.end = o.buf + sizeof o.buf; o.overflow = false;
    put(&o, "{\"deny\":[");
    for (int i = 0; i < jail_ndeny; i++) {
        const char *e = errno_name(jail_deny[i].err);
        if (!e) { fprintf(stderr, "polyjail tables: deny rule %s answers an errno missing from the errno table\n", jail_deny[i].name); return -1; }
        put(&o, "%s{\"syscall\":", i ? "," : "");
        str(&o, jail_deny[i].name);
        put(&o, ",\"errno\":");
        str(&o, e);
        put(&o, ",\"why\":");
        str(&o, jail_deny[i].why);
        put(&o, "}");
    }
    put(&o, "],\"errnos\":[");
    for (int i = 0; i < jail_nerrnos; i++) { put(&o, i ? "," : ""); str(&o, jail_errnos[i].name); }
    put(&o, "],\"devices\":[");
    for (int i = 0; i < jail_ndevices; i++) { put(&o, i ? "," : ""); str(&o, jail_devices[i].name); }
    put(&o, "],\"socket_families\":[");
    for (int i = 0; i < jail_socket_nfamilies; i++) {
        const char *n = family_name(jail_socket_families[i]);
        if (!n) { fprintf(stderr, "polyjail tables: socket family %d has no name\n", jail_socket_families[i]); return -1; }
        put(&o, i ? "," : "");
        str(&o, n);
    }
    put(&o, "],\"seccomp_policies\":[\"default\",\"strict\"],\"proc_modes\":[\"pid\",\"all\",\"none\"]");
    put(&o, ",\"networks\":[\"none\",\"loopback\"]");
    struct spec d;
    spec_defaults(&d);
    put(&o, ",\"defaults\":{\"cpu_ms\":%llu,\"wall_ms_per_cpu_ms\":3,\"memory\":%llu,\"processes\":%llu,\"file_size\":%llu,"
            "\"output\":%llu,\"stderr\":%llu,\"open_files\":%llu,\"stack\":%llu,\"box_size\":%llu,\"box_inodes\":%llu,"
            "\"tmp_size\":%llu,\"tmp_inodes\":%llu,\"collect_max\":%llu,\"uid_base\":%llu,\"proc\":\"pid\"}",
        (unsigned long long)d.cpu_ms, (unsigned long long)d.memory, (unsigned long long)d.processes,
        (unsigned long long)d.file_size, (unsigned long long)d.output, (unsigned long long)d.stderr_cap,
        (unsigned long long)d.open_files, (unsigned long long)d.stack, (unsigned long long)d.box_size,
        (unsigned long long)d.box_inodes, (unsigned long long)d.tmp_size, (unsigned long long)d.tmp_inodes,
        (unsigned long long)d.collect_max, (unsigned long long)d.uid_base);
    put(&o, ",\"uid_base_range\":[%d,%llu]", JAIL_UID_BASE_MIN, (unsigned long long)JAIL_UID_BASE_MAX);
    put(&o, ",\"spec_limits\":{\"max_arguments\":%d,\"max_spec_bytes\":%u,\"max_line_bytes\":%d}}\n",
        JAIL_MAX_ARGS, JAIL_MAX_SPEC_BYTES, JAIL_MAX_LINE);
    if (o.overflow) { fprintf(stderr, "polyjail tables: the output buffer is too small\n"); return -1; }
    return write_all(fd, o.buf, (size_t)(o.p - o.buf));
}
