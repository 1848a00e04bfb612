// Attack: stop our own process group (SIGSTOP) with a child, hoping a stopped program hangs the grader; the wall limit must still end it.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (fork() == 0)
        for (;;)
            pause();
    puts("stopping the whole process group");
    kill(0, SIGSTOP);
    puts("continued (someone sent SIGCONT)");
    return 0;
}
