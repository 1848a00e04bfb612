#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"

/* Evaluates one line; returns 0 and sets *result, or -1 on an error. */
static int eval(char *line, long *result)
{
    Stack *s = stack_new();
    int ok = 1;
    for (char *tok = strtok(line, " \t\r\n"); tok != NULL && ok; tok = strtok(NULL, " \t\r\n")) {
        if (strlen(tok) == 1 && strchr("+-*/", tok[0]) != NULL) {
            if (stack_size(s) < 2) {
                ok = 0;
                break;
            }
            long b = stack_pop(s);
            long a = stack_pop(s);
            switch (tok[0]) {
            case '+': stack_push(s, a + b); break;
            case '-': stack_push(s, a - b); break;
            case '*': stack_push(s, a * b); break;
            case '/':
                if (b == 0)
                    ok = 0;
                else
                    stack_push(s, a / b);
                break;
            }
        } else {
            stack_push(s, strtol(tok, NULL, 10));
        }
    }
    if (ok && stack_size(s) == 1)
        *result = stack_pop(s);
    else
        ok = 0;
    stack_free(s);
    return ok ? 0 : -1;
}

int main(void)
{
    char line[4096];
    while (fgets(line, sizeof line, stdin) != NULL) {
        long value;
        if (eval(line, &value) == 0)
            printf("%ld\n", value);
        else
            printf("error\n");
    }
    return 0;
}
