// Attack: write lines to stdout forever; the supervisor must stop at the output cap and kill (OLE, output).
#include <stdio.h>
int main(void) {
    for (unsigned long i = 0;; i++)
        printf("line %lu: spam spam spam spam spam spam spam\n", i);
}
