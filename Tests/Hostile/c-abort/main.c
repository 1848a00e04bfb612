// Attack: abort() (SIGABRT, a core dump request); RE naming the signal, and RLIMIT_CORE 0 means no core file.
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    puts("about to abort");
    fflush(stdout);
    abort();
}
