/* Quantities with units: parsing what users type, formatting what they see.
 * All values are held in base units: FLOP, FLOP/s, bytes, bytes/s, bits/s,
 * seconds, watts, joules, joules per bit. Prefixes are decimal (k = 1e3, M = 1e6, ...) except
 * KiB/MiB/GiB. */
#ifndef NNPART_UNITS_H
#define NNPART_UNITS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum unit_kind {
    UNIT_FLOP,           /* operations: FLOP kFLOP MFLOP GFLOP TFLOP PFLOP, bare number */
    UNIT_FLOP_RATE,      /* FLOP/s kFLOP/s ... PFLOP/s, also GFLOPS etc. */
    UNIT_BYTES,          /* B kB MB GB TB (decimal), KiB MiB GiB (binary) */
    UNIT_BYTE_RATE,      /* B/s kB/s MB/s GB/s (also KiB/s MiB/s GiB/s) */
    UNIT_BIT_RATE,       /* bit/s kbit/s Mbit/s Gbit/s, also kbps Mbps Gbps */
    UNIT_TIME,           /* s ms us ns */
    UNIT_COUNT,          /* plain count (parameters, MACs): k M G suffixes for display only */
    UNIT_POWER,          /* W mW uW kW */
    UNIT_ENERGY,         /* J mJ uJ nJ kJ */
    UNIT_ENERGY_PER_BIT, /* J/bit mJ/bit uJ/bit nJ/bit pJ/bit */
    UNIT_KIND_COUNT
} unit_kind;

/* Parses "20 GFLOP/s", "2GB", "1e9", " 300 Mbit/s ". A bare number is the base
 * unit. Rejects negative, NaN, infinite values and units of another kind.
 * On failure returns false and writes a one-line reason into `why` that names
 * the accepted units, e.g. "'3 ms' is a time, expected a compute rate such as
 * '20 GFLOP/s' (FLOP/s, kFLOP/s, MFLOP/s, GFLOP/s, TFLOP/s, PFLOP/s)". */
bool units_parse(const char *text, unit_kind kind, double *out, char *why, size_t why_size);

/* Short display form with 3 significant digits and an SI prefix chosen for
 * the value: "712 ms", "20 GFLOP/s", "1.5 MB", "300 Mbit/s". */
void units_format(double value, unit_kind kind, char *buf, size_t size);

/* Exact form for saving: the shortest text with a readable prefix that
 * units_parse turns back into exactly `value` (bit for bit). */
void units_format_exact(double value, unit_kind kind, char *buf, size_t size);

/* Human name of a kind ("compute rate") and an example ("20 GFLOP/s"). */
const char *units_kind_name(unit_kind kind);
const char *units_kind_example(unit_kind kind);

#endif
