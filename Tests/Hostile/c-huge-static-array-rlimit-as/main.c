// Attack: a 512 MiB static (bss) array, touched page by page; the memory limit must stop it (MLE).
#include <stdio.h>
static char big[512u << 20];
int main(void) {
    for (size_t i = 0; i < sizeof big; i += 4096)
        big[i] = 1;
    printf("touched %zu MiB\n", sizeof big >> 20);
    return big[12345];
}
