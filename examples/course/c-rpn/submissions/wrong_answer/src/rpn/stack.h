#ifndef STACK_H
#define STACK_H

typedef struct Stack Stack;

Stack *stack_new(void);
void stack_free(Stack *s);
void stack_push(Stack *s, long value);
long stack_pop(Stack *s);          /* precondition: the stack is not empty */
int stack_size(const Stack *s);

#endif
