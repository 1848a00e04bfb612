// Attack: pause() forever, blocking on no fd at all; the wall limit must fire (TLE, wall).
#include <unistd.h>
int main(void) {
    pause();
    return 0;
}
