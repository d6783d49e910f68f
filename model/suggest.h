/* "Did you mean ...?": the closest candidate to a misspelt word, for unknown
 * keys, units and names in messages. */
#ifndef NNPART_SUGGEST_H
#define NNPART_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance, ignoring ASCII case. */
size_t suggest_distance(const char *a, const char *b);

/* The candidate closest to `word` (ties: the first), or NULL when none is
 * close enough to be a plausible misspelling (at most 3 edits and at most
 * half of the longer word). */
const char *suggest_closest(const char *word, const char *const *cands, size_t n);

#endif
