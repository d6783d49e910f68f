#include "text.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4) and its code point, or 0
 * when the bytes there are not one (invalid, overlong, surrogate, cut). */
static size_t utf8_seq(const unsigned char *s, size_t len, unsigned *cp)
{
    if (len == 0) return 0;
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

static bool unsafe_cp(unsigned cp, unsigned flags)
{
    if (cp == '\n' || cp == '\t') return !(flags & TEXT_KEEP_LINES);
    if (cp < 0x20 || cp == 0x7F) return true;
    if (cp >= 0x80 && cp <= 0x9F) return true;
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t text_utf8_decode(const char *s, size_t len, unsigned *cp)
{
    return utf8_seq((const unsigned char *)s, len, cp);
}

bool text_cp_unsafe(unsigned cp, unsigned flags)
{
    return unsafe_cp(cp, flags);
}

size_t text_escape_n(char *dst, size_t size, const char *src, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t used = 0;
    if (size == 0) return 0;
    for (size_t i = 0; i < len;) {
        unsigned cp = 0;
        size_t n = utf8_seq(s + i, len - i, &cp);
        char esc[16];
        const char *piece = (const char *)s + i;
        size_t plen = n;
        if (n == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", s[i]);
            piece = esc;
            plen = strlen(esc);
            n = 1;
        } else if (unsafe_cp(cp, flags)) {
            if (cp < 0x80)
                snprintf(esc, sizeof esc, "\\x%02x", cp);
            else
                snprintf(esc, sizeof esc, "\\u%04x", cp);
            piece = esc;
            plen = strlen(esc);
        }
        if (used + plen >= size) break;
        memcpy(dst + used, piece, plen);
        used += plen;
        i += n;
    }
    dst[used] = '\0';
    return used;
}

char *text_escape(char *dst, size_t size, const char *src)
{
    if (!src) src = "";
    text_escape_n(dst, size, src, strlen(src), TEXT_ONE_LINE);
    return dst;
}

bool text_is_safe(const char *src, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)src;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_seq(s + i, len - i, &cp);
        if (n == 0 || unsafe_cp(cp, flags)) return false;
        i += n;
    }
    return true;
}

bool text_name_printable(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
        i += n;
    }
    return true;
}

char *text_name_clean(char *s, size_t max)
{
    size_t len = strlen(s), out = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            s[out++] = '_'; /* one for the byte or the whole control character */
            i += n ? n : 1;
            continue;
        }
        if (out + n > max) break;
        memmove(s + out, s + i, n);
        out += n;
        i += n;
    }
    if (out > max) out = max; /* only '_' can pass the cut above */
    s[out] = '\0';
    return s;
}

size_t text_complete_prefix(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    /* Look back at most 3 bytes for the lead byte of a cut sequence. */
    for (size_t back = 1; back <= 3 && back <= len; back++) {
        unsigned c = u[len - back];
        if ((c & 0xC0) == 0x80) continue; /* continuation: keep looking */
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
        if (c >= 0xC2 && c <= 0xF4 && need > back) return len - back;
        return len;
    }
    return len;
}
