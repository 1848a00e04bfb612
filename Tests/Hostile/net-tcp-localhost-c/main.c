// Attack: reach host services (SSH, HTTP, databases, metrics) on 127.0.0.1 and the outside world over TCP/UDP; sockets are refused.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void tcp(const char *ip, int port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
        printf("socket for %s:%d: %s\n", ip, port, en(errno));
        return;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    printf("connect %s:%d: %s\n", ip, port, r < 0 ? en(errno) : "connected (LEAK)");
    close(s);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int ports[] = {22, 80, 443, 3306, 5432, 6379, 8080, 9090};
    for (size_t i = 0; i < sizeof ports / sizeof *ports; i++)
        tcp("127.0.0.1", ports[i]);
    tcp("8.8.8.8", 53);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(22), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    printf("connect(fd 0): %s\n", connect(0, (struct sockaddr *)&a, sizeof a) < 0 ? en(errno) : "OK (LEAK)");
    printf("bind(fd 0): %s\n", bind(0, (struct sockaddr *)&a, sizeof a) < 0 ? en(errno) : "OK (LEAK)");
    int sv[2];
    printf("socketpair(AF_UNIX): %s\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 ? en(errno) : "OK");
    printf("socket(AF_INET, SOCK_DGRAM): %s\n", socket(AF_INET, SOCK_DGRAM, 0) < 0 ? en(errno) : "OK (LEAK)");
    return 0;
}
