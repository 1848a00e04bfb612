// Attack: flood stderr (a separate cap from stdout); the supervisor must stop at the stderr cap (OLE, stderr).
#include <stdio.h>
int main(void) {
    puts("stdout stays small");
    fflush(stdout);
    for (unsigned long i = 0;; i++)
        fprintf(stderr, "error %lu: something went terribly wrong\n", i);
}
