// Attack: one line that never ends (no newline at all); the output cap must still fire (OLE, output).
#include <string.h>
#include <unistd.h>
int main(void) {
    static char x[1 << 16];
    memset(x, 'x', sizeof x);
    for (;;)
        if (write(1, x, sizeof x) < 0)
            return 1;
}
