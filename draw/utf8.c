/* UTF-8 helpers: the painters' shared character counting. */
#include "utf8.h"

#include <string.h>

int utf8_cells(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

int utf8_char(const char *s, char *dst, size_t size)
{
    int n = 1;
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    int copy = (size_t)n >= size ? (int)size - 1 : n;
    memcpy(dst, s, (size_t)copy);
    dst[copy] = '\0';
    return n;
}
