// Attack: classic fork bomb; pids.max + RLIMIT_NPROC must cap it and the jail must reap every process.
#include <unistd.h>
int main(void) {
    for (;;)
        fork();
}
