/* result.h: what one run produced, and the JSON record written from it. */
#ifndef POLYJAIL_RESULT_H
#define POLYJAIL_RESULT_H
#include "jail.h"

enum limit_kind { LIMIT_NONE, LIMIT_CPU, LIMIT_WALL, LIMIT_MEMORY, LIMIT_OUTPUT, LIMIT_STDERR, LIMIT_FILE_SIZE };

struct run_outcome {
    enum limit_kind limit;          /* what the supervisor killed for */
    bool have_report;
    struct inside_report report;
    int pid1_status;
    int exec_errno;
    int syscall;
    uint64_t wall_us, stdout_bytes, stderr_bytes;
    bool stdout_truncated, stderr_truncated;
    struct cgroup_stats cg;
};

int result_write(struct jail *j, struct run_outcome *o, int fd);
void json_string(char **p, char *end, const char *s);
#endif
