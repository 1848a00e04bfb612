#include <stdlib.h>

#include "stack.h"

typedef struct Node {
    long value;
    struct Node *next;
} Node;

struct Stack {
    Node *top;
    int size;
};

Stack *stack_new(void)
{
    Stack *s = malloc(sizeof *s);
    if (s == NULL)
        abort();
    s->top = NULL;
    s->size = 0;
    return s;
}

void stack_free(Stack *s)
{
    while (s->top != NULL)
        stack_pop(s);
    free(s);
}

void stack_push(Stack *s, long value)
{
    Node *n = malloc(sizeof *n);
    if (n == NULL)
        abort();
    n->value = value;
    n->next = s->top;
    s->top = n;
    s->size++;
}

long stack_pop(Stack *s)
{
    Node *n = s->top;
    long value = n->value;
    s->top = n->next;
    s->size--;
    free(n);
    return value;
}

int stack_size(const Stack *s)
{
    return s->size;
}
