// Attack: list /, /home, /var, /root, /tmp, /etc, /dev, /proc looking for host files and other processes; only the jail's own may show.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static int in(const char *name, const char *list) {  // list is " a b c "
    char key[300];
    snprintf(key, sizeof key, " %s ", name);
    return strstr(list, key) != NULL;
}
// allowed == NULL: every entry is a leak; "*pid": numeric entries must be ours
static void list(const char *dir, const char *allowed) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("list %s: %s\n", dir, en(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        const char *verdict = "";
        char path[600];
        snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
        if (allowed && !strcmp(allowed, "*pid")) {
            struct stat st;
            if (e->d_name[0] >= '0' && e->d_name[0] <= '9') {
                if (stat(path, &st) == 0 && st.st_uid != getuid())
                    verdict = " (LEAK: another uid's process)";
            } else if (strcmp(e->d_name, "self") && strcmp(e->d_name, "thread-self"))
                verdict = " (extra /proc entry)";
        } else if (allowed == NULL || !in(e->d_name, allowed)) {
            DIR *sub = opendir(path);  // an empty stray directory is harmless, anything else is a leak
            int entries = 0;
            struct dirent *s;
            while (sub && (s = readdir(sub)) != NULL)
                entries += strcmp(s->d_name, ".") && strcmp(s->d_name, "..");
            verdict = (sub && entries == 0) ? " (extra, empty)" : " (LEAK)";
            if (sub)
                closedir(sub);
        }
        printf("%s%s\n", path, verdict);
    }
    closedir(d);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    list("/", " box tmp dev proc usr bin lib lib32 lib64 libx32 sbin etc ");
    list("/home", NULL);
    list("/root", NULL);
    list("/var", NULL);
    list("/srv", NULL);
    list("/work", NULL);
    list("/sys", NULL);
    list("/tmp", NULL);
    list("/etc", " ld.so.cache ld.so.conf ld.so.conf.d localtime nsswitch.conf passwd group hosts alternatives ");
    list("/dev", " null zero full random urandom shm fd stdin stdout stderr ");
    list("/proc", "*pid");
    return 0;
}
