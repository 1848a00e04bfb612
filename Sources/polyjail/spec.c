/* spec.c: reads the run spec, one "key value" line each, values with \\ \n \t \xHH escapes.
 * Unknown keys are rejected: a typo must never silently weaken a run (nsjail's strict config). */
#include "jail.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *unescape(const char *v) {
    size_t n = strlen(v);
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != '\\' || i + 1 >= n) { *o++ = v[i]; continue; }
        char c = v[++i];
        if (c == 'n') *o++ = '\n';
        else if (c == 't') *o++ = '\t';
        else if (c == 'x' && i + 2 < n + 1) {
            char hex[3] = {v[i + 1], v[i + 2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            i += 2;
        } else *o++ = c;
    }
    *o = 0;
    return out;
}

static int parse_u64(const char *v, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v || *end) return -1;
    *out = x;
    return 0;
}

/* The errno names a profile may give a syscall (`errno NAME ERRNO`); exported by `polyjail tables`. */
const struct errno_name jail_errnos[] = {
    {"EPERM", EPERM}, {"EACCES", EACCES}, {"ENOSYS", ENOSYS}, {"ENOENT", ENOENT}, {"EINVAL", EINVAL},
    {"ENOTSUP", ENOTSUP}, {"EAFNOSUPPORT", EAFNOSUPPORT}, {"ENETUNREACH", ENETUNREACH},
    {"EROFS", EROFS}, {"ENOMEM", ENOMEM}, {"EAGAIN", EAGAIN}};
const int jail_nerrnos = sizeof jail_errnos / sizeof jail_errnos[0];

static int errno_by_name(const char *name) {
    for (int i = 0; i < jail_nerrnos; i++)
        if (!strcmp(jail_errnos[i].name, name)) return jail_errnos[i].err;
    return -1;
}

/* argv and env grow as needed, up to JAIL_MAX_ARGS, always NULL-terminated. */
static int push_str(char ***arr, int *count, char *v) {
    if (*count >= JAIL_MAX_ARGS) return -1;
    if ((*count & (*count + 1)) == 0 || !*arr) { /* at 0, 1, 3, 7, ... entries: room for twice as many */
        char **grown = realloc(*arr, sizeof(char *) * (size_t)(2 * (*count + 1) + 1));
        if (!grown) return -1;
        *arr = grown;
    }
    (*arr)[(*count)++] = v;
    (*arr)[*count] = NULL;
    return 0;
}

void spec_defaults(struct spec *s) {
    memset(s, 0, sizeof *s);
    s->cpu_ms = 2000; s->memory = 256ull << 20; s->processes = 8; s->file_size = 16ull << 20;
    s->output = 1ull << 20; s->stderr_cap = 64ull << 10; s->open_files = 64; s->stack = 8ull << 20;
    s->box_size = 64ull << 20; s->box_inodes = 4096; s->tmp_size = 16ull << 20; s->tmp_inodes = 1024;
    s->proc = PROC_PID; s->slot = -1; s->uid_base = JAIL_UID_BASE; s->collect_max = 64ull << 20; s->level = LEVEL_FULL;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)
#define NUM(name, field) else if (!strcmp(key, name)) { if (parse_u64(val, &s->field)) FAIL("line %d: %s: not a number: %s", line, key, val); }
#define PUSH(name, arr, cnt, max) else if (!strcmp(key, name)) { if (s->cnt >= (max)) FAIL("line %d: too many %s", line, key); s->arr[s->cnt++] = val; val = NULL; }
#define STR(name, field) else if (!strcmp(key, name)) { s->field = val; val = NULL; }

static int spec_line(struct spec *s, char *raw, int line, char *err, size_t errlen) {
    char *sp = strchr(raw, ' ');
    const char *key = raw;
    char *val;
    if (sp) { *sp = 0; val = unescape(sp + 1); } else val = unescape("");
    if (!val) FAIL("out of memory");
    /* The allow list is most of a spec's lines: its key is tested first. */
    if (!strcmp(key, "allow")) { if (s->nallow >= 512) FAIL("line %d: too many allow", line); s->allow[s->nallow++] = val; return 0; }
    if (!strcmp(key, "argv")) { if (push_str(&s->argv, &s->argc, val) < 0) FAIL("line %d: more than %d arguments", line, JAIL_MAX_ARGS); val = NULL; }
    else if (!strcmp(key, "env")) { if (push_str(&s->env, &s->envc, val) < 0) FAIL("line %d: more than %d env entries", line, JAIL_MAX_ARGS); val = NULL; }
    else if (!strcmp(key, "id")) { free(s->id); s->id = val; val = NULL; }
    NUM("cpu_ms", cpu_ms) NUM("wall_ms", wall_ms) NUM("memory", memory) NUM("rlimit_as", rlimit_as)
    NUM("file_size", file_size) NUM("output", output) NUM("stderr", stderr_cap) NUM("stack", stack)
    NUM("processes", processes) NUM("open_files", open_files)
    NUM("box_size", box_size) NUM("box_inodes", box_inodes) NUM("tmp_size", tmp_size) NUM("tmp_inodes", tmp_inodes)
    NUM("shm_size", shm_size) NUM("collect_max", collect_max)
    PUSH("dev", devs, ndevs, 8)
    else if (!strcmp(key, "proc")) {
        if (!strcmp(val, "pid")) s->proc = PROC_PID;
        else if (!strcmp(val, "all")) s->proc = PROC_ALL;
        else if (!strcmp(val, "none")) s->proc = PROC_NONE;
        else FAIL("line %d: proc: expected pid, all or none", line);
    }
    else if (!strcmp(key, "bind") || !strcmp(key, "bind_optional")) {
        if (s->nbinds >= JAIL_MAX_LIST) FAIL("line %d: too many binds", line);
        if (val[0] != '/') FAIL("line %d: %s: not an absolute path: %s", line, key, val);
        s->bind_optional[s->nbinds] = !strcmp(key, "bind_optional");
        s->binds[s->nbinds++] = val; val = NULL;
    }
    PUSH("etc", etc, netc, JAIL_MAX_LIST)
    else if (!strcmp(key, "seccomp")) {
        if (!strcmp(val, "default")) s->policy = POLICY_DEFAULT;
        else if (!strcmp(val, "strict")) s->policy = POLICY_STRICT;
        else FAIL("line %d: seccomp: expected default or strict", line);
    }
    else if (!strcmp(key, "errno")) {
        char *e = strchr(val, ' ');
        if (!e || s->nerrnos >= JAIL_MAX_ERRNO) FAIL("line %d: errno: expected SYSCALL ERRNO", line);
        *e++ = 0;
        int code = errno_by_name(e);
        if (code < 0) FAIL("line %d: errno: unknown errno name %s", line, e);
        s->errnos[s->nerrnos].syscall = val; s->errnos[s->nerrnos].err = code; s->nerrnos++; val = NULL;
    }
    else if (!strcmp(key, "network")) {
        if (!strcmp(val, "none")) s->loopback = false;
        else if (!strcmp(val, "loopback")) s->loopback = true;
        else FAIL("line %d: network: expected none or loopback", line);
    }
    else if (!strcmp(key, "slot")) {
        uint64_t n;
        if (!strcmp(val, "auto")) s->slot = -1;
        else if (parse_u64(val, &n) || n > 999) FAIL("line %d: slot: expected 0..999 or auto", line);
        else s->slot = (int)n;
    }
    else if (!strcmp(key, "uid_base")) {
        if (parse_u64(val, &s->uid_base) || s->uid_base < JAIL_UID_BASE_MIN || s->uid_base > JAIL_UID_BASE_MAX)
            FAIL("line %d: uid_base: expected %d..%llu", line, JAIL_UID_BASE_MIN, JAIL_UID_BASE_MAX);
    }
    else if (!strcmp(key, "level")) {
        if (!strcmp(val, "full")) s->level = LEVEL_FULL;
        else if (!strcmp(val, "no-cgroup")) s->level = LEVEL_NO_CGROUP;
        else FAIL("line %d: level: expected full or no-cgroup", line);
    }
    STR("box_from", box_from) STR("stdin", stdin_path) STR("stdout_file", stdout_path)
    STR("stderr_file", stderr_path) STR("collect_to", collect_to) STR("cgroup_root", cgroup_root)
    PUSH("collect", collect, ncollect, JAIL_MAX_LIST)
    else FAIL("line %d: unknown key \"%s\"", line, key);
    free(val);
    return 0;
}

static int reader_getc(struct reader *r) {
    if (r->mem) return r->pos < r->mem_len ? (unsigned char)r->mem[r->pos++] : -1;
    if (r->pos == r->len) {
        ssize_t n;
        do n = read(r->fd, r->buf, sizeof r->buf); while (n < 0 && errno == EINTR);
        if (n < 0) return -2;
        if (n == 0) return -1;
        r->pos = 0; r->len = (size_t)n;
    }
    return (unsigned char)r->buf[r->pos++];
}

/* Reads one spec: lines until a line "end" or EOF. A bad line does not stop the reading: the
 * rest of the spec up to its "end" is consumed (and only `id` lines still looked at), so the
 * next request starts where it should and the error record carries this request's id. */
int spec_read(struct spec *s, struct reader *rd, char *err, size_t errlen) {
    spec_defaults(s);
    char *buf = NULL; size_t len = 0, cap = 0;
    char *raw = NULL; size_t raw_len = 0, raw_cap = 0;
    int line = 0, got = 0, bad = 0;
    for (;;) {
        int c = reader_getc(rd);
        if (c == -2) { snprintf(err, errlen, "read spec: %s", strerror(errno)); free(buf); free(raw); return -2; }
        if (c == -1 && len == 0) break;
        if (c == -1 || c == '\n') {
            if (len + 1 > cap) { cap = len + 1; char *g = realloc(buf, cap); if (!g) { free(buf); free(raw); snprintf(err, errlen, "out of memory"); return -2; } buf = g; }
            buf[len] = 0; line++;
            if (!strcmp(buf, "end")) { got = 1; break; }
            if (raw_len + len + 1 > JAIL_MAX_SPEC_BYTES) {
                free(buf); free(raw);
                snprintf(err, errlen, "the spec is larger than %u bytes", JAIL_MAX_SPEC_BYTES);
                return -2;
            }
            if (raw_len + len + 1 > raw_cap) {
                raw_cap = (raw_len + len + 1) * 2;
                char *g = realloc(raw, raw_cap);
                if (!g) { free(buf); free(raw); snprintf(err, errlen, "out of memory"); return -2; }
                raw = g;
            }
            memcpy(raw + raw_len, buf, len); raw[raw_len + len] = '\n'; raw_len += len + 1;
            if (len > 0 && !bad && spec_line(s, buf, line, err, errlen) < 0) bad = 1;
            else if (len > 0 && bad && !strncmp(buf, "id ", 3)) { free(s->id); s->id = strdup(buf + 3); }
            got = 1; len = 0;
            if (c == -1) break;
            continue;
        }
        if (len + 2 > JAIL_MAX_LINE) {
            free(buf); free(raw);
            snprintf(err, errlen, "line %d: longer than %d bytes", line + 1, JAIL_MAX_LINE);
            return -2; /* we cannot know where this spec ends: the stream is not trustworthy */
        }
        if (len + 2 > cap) { cap = cap ? cap * 2 : 256; char *g = realloc(buf, cap); if (!g) { free(buf); free(raw); snprintf(err, errlen, "out of memory"); return -2; } buf = g; }
        buf[len++] = (char)c;
    }
    free(buf);
    if (!got) { free(raw); return 0; }
    s->raw = raw; s->raw_len = raw_len;
    if (bad) return -1;
    if (s->argc == 0) { snprintf(err, errlen, "the spec has no argv"); return -1; }
    if (!s->wall_ms) s->wall_ms = s->cpu_ms * 3;
    if (s->ndevs == 0) for (int i = 0; i < jail_ndevices; i++) s->devs[s->ndevs++] = (char *)jail_devices[i].name;
    return 1;
}

/* Everything a prepared jail depends on (its root, network, level, seccomp policy); a request
 * whose key differs gets a jail of its own. */
char *spec_root_key(const struct spec *s) {
    size_t n = 256 + (s->cgroup_root ? strlen(s->cgroup_root) : 0);
    for (int i = 0; i < s->nallow; i++) n += strlen(s->allow[i]) + 2;
    for (int i = 0; i < s->nerrnos; i++) n += strlen(s->errnos[i].syscall) + 16;
    for (int i = 0; i < s->nbinds; i++) n += strlen(s->binds[i]) + 3;
    for (int i = 0; i < s->netc; i++) n += strlen(s->etc[i]) + 2;
    for (int i = 0; i < s->ndevs; i++) n += strlen(s->devs[i]) + 2;
    char *k = malloc(n), *p = k;
    if (!k) return NULL;
    p += sprintf(p, "proc=%d shm=%llu net=%d level=%d uid_base=%llu cg=%s|", (int)s->proc, (unsigned long long)s->shm_size,
                 (int)s->loopback, (int)s->level, (unsigned long long)s->uid_base, s->cgroup_root ? s->cgroup_root : "");
    for (int i = 0; i < s->nbinds; i++) p += sprintf(p, "%s%s,", s->bind_optional[i] ? "?" : "", s->binds[i]);
    p += sprintf(p, "|");
    for (int i = 0; i < s->netc; i++) p += sprintf(p, "%s,", s->etc[i]);
    p += sprintf(p, "|");
    for (int i = 0; i < s->ndevs; i++) p += sprintf(p, "%s,", s->devs[i]);
    /* The prepared program child has already loaded its seccomp filter. */
    p += sprintf(p, "|policy=%d|", (int)s->policy);
    for (int i = 0; i < s->nallow; i++) p += sprintf(p, "%s,", s->allow[i]);
    p += sprintf(p, "|");
    for (int i = 0; i < s->nerrnos; i++) p += sprintf(p, "%s=%d,", s->errnos[i].syscall, s->errnos[i].err);
    return k;
}

bool spec_binds_tmp(const struct spec *s) {
    for (int i = 0; i < s->nbinds; i++)
        if (!strcmp(s->binds[i], "/tmp") || !strncmp(s->binds[i], "/tmp/", 5)) return true;
    return false;
}

/* pid 1's copy of the spec: the lines of the run itself. Root, filter and network lines (most of a
 * spec: the allow list) made the prepared jail already and stay out, so pid 1 parses a few lines. */
static bool for_pid1(const char *line, size_t len) {
    static const char *const skip[] = {"allow ", "errno ", "bind ", "bind_optional ", "etc ", "dev "};
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++) {
        size_t k = strlen(skip[i]);
        if (len >= k && !memcmp(line, skip[i], k)) return false;
    }
    return true;
}

size_t spec_run_lines(const struct spec *s, char *out) {
    size_t n = 0;
    for (size_t pos = 0; pos < s->raw_len;) {
        const char *nl = memchr(s->raw + pos, '\n', s->raw_len - pos);
        size_t len = nl ? (size_t)(nl - (s->raw + pos)) + 1 : s->raw_len - pos;
        if (for_pid1(s->raw + pos, len)) { memcpy(out + n, s->raw + pos, len); n += len; }
        pos += len;
    }
    return n;
}

/* serve mode runs many specs in one process: give back what a spec allocated. */
void spec_free(struct spec *s) {
    for (int i = 0; i < s->argc; i++) free(s->argv[i]);
    for (int i = 0; i < s->envc; i++) free(s->env[i]);
    free(s->argv); free(s->env); free(s->id); free(s->raw);
    for (int i = 0; i < s->nbinds; i++) free(s->binds[i]);
    for (int i = 0; i < s->netc; i++) free(s->etc[i]);
    for (int i = 0; i < s->nallow; i++) free(s->allow[i]);
    for (int i = 0; i < s->nerrnos; i++) free(s->errnos[i].syscall);
    for (int i = 0; i < s->ncollect; i++) free(s->collect[i]);
    free(s->box_from); free(s->stdin_path); free(s->stdout_path); free(s->stderr_path); free(s->collect_to); free(s->cgroup_root);
    /* devs are either spec-allocated or the static defaults */
    memset(s, 0, sizeof *s);
}
