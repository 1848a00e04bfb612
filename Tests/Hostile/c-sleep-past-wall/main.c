// Attack: sleep far past the wall limit without using CPU; the wall clock must fire (TLE, wall).
#include <unistd.h>
int main(void) {
    sleep(10);
    return 0;
}
