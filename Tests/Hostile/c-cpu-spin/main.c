// Attack: spin the CPU forever; the CPU limit must fire (TLE, cpu).
int main(void) {
    volatile unsigned long x = 0;
    for (;;)
        x++;
}
