#ifndef EKSCOST_CLIBCSV_SHIM_H
#define EKSCOST_CLIBCSV_SHIM_H
#if __has_include(<csv.h>)
#include <csv.h>
#else
#error "libcsv is missing: run 'sudo apt-get install -y libcsv-dev' (or 'make setup')"
#endif

/* The C half of CSVStream (Sources/CSVStream/LibCSV.swift is the only Swift file that sees it):
   1. what libcsv's callbacks write records into, in C so that a field costs a memcpy and no
      Swift array bookkeeping;
   2. the index kernel: one pass over the bytes, 64 at a time, that finds every comma and line
      feed outside quotes and every byte that breaks libcsv's strict quoting rules. */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#include <cpuid.h>
#endif

/* ---- 1. Records collected from libcsv's callbacks ---------------------------------------- */

typedef struct {
    unsigned char *bytes;    /* field contents, one after the other */
    size_t byte_count, byte_capacity;
    size_t *field_ends;      /* end offset in `bytes` of every completed field */
    size_t field_count, field_capacity;
    size_t *record_ends;     /* per completed record: one past its last field in field_ends */
    size_t *record_lines;    /* per completed record: the line it starts on */
    size_t record_count, record_capacity;
    size_t line;             /* line on which the record being read started */
    size_t embedded_line_feeds; /* line feeds inside the fields of the record being read */
    int count_lines;         /* 0 when the caller numbers lines itself (one record at a time) */
    int out_of_memory;
} ekscsv_records;

#define EKSCSV_RESERVE(pointer, capacity, needed, type)                                   \
    do {                                                                                  \
        if ((needed) > (capacity)) {                                                      \
            size_t grown = (capacity) ? (capacity) : 64;                                  \
            while (grown < (needed)) grown *= 2;                                          \
            type *moved = (type *)realloc((pointer), grown * sizeof(type));               \
            if (!moved) { r->out_of_memory = 1; return; }                                 \
            (pointer) = moved;                                                            \
            (capacity) = grown;                                                           \
        }                                                                                 \
    } while (0)

static void ekscsv_records_field(void *data, size_t length, void *context) {
    ekscsv_records *r = (ekscsv_records *)context;
    if (r->out_of_memory) return;
    if (length > 0 && data) {
        EKSCSV_RESERVE(r->bytes, r->byte_capacity, r->byte_count + length, unsigned char);
        memcpy(r->bytes + r->byte_count, data, length);
        const unsigned char *at = (const unsigned char *)data, *end = at + length;
        while (r->count_lines && (at = (const unsigned char *)memchr(at, '\n', (size_t)(end - at))) != NULL) {
            r->embedded_line_feeds++;
            at++;
        }
        r->byte_count += length;
    }
    EKSCSV_RESERVE(r->field_ends, r->field_capacity, r->field_count + 1, size_t);
    r->field_ends[r->field_count++] = r->byte_count;
}

static void ekscsv_records_record(int terminator, void *context) {
    ekscsv_records *r = (ekscsv_records *)context;
    if (r->out_of_memory) return;
    size_t previous = r->record_count ? r->record_ends[r->record_count - 1] : 0;
    if (r->field_count > previous) {
        if (r->record_count == r->record_capacity) {
            size_t grown = r->record_capacity ? r->record_capacity * 2 : 64;
            size_t *ends = (size_t *)realloc(r->record_ends, grown * sizeof(size_t));
            if (ends) r->record_ends = ends;
            size_t *lines = ends ? (size_t *)realloc(r->record_lines, grown * sizeof(size_t)) : NULL;
            if (lines) r->record_lines = lines;
            if (!ends || !lines) { r->out_of_memory = 1; return; }
            r->record_capacity = grown;
        }
        r->record_ends[r->record_count] = r->field_count;
        r->record_lines[r->record_count] = r->line;
        r->record_count++;
    }
    /* With CSV_REPALL_NL every line feed outside a field ends a line, including the LF of a
       CRLF pair (reported as an empty row after the CR that ended the record). */
    r->line += r->embedded_line_feeds + (terminator == '\n' ? 1 : 0);
    r->embedded_line_feeds = 0;
}

/* Drops the delivered records, keeping the fields of the one still being read. */
static inline void ekscsv_records_keep_partial(ekscsv_records *r) {
    size_t last = r->record_count ? r->record_ends[r->record_count - 1] : 0;
    size_t kept = last ? r->field_ends[last - 1] : 0;
    if (kept > 0) memmove(r->bytes, r->bytes + kept, r->byte_count - kept);
    r->byte_count -= kept;
    for (size_t i = last; i < r->field_count; i++) r->field_ends[i - last] = r->field_ends[i] - kept;
    r->field_count -= last;
    r->record_count = 0;
}

static inline void ekscsv_records_clear(ekscsv_records *r) {
    r->byte_count = 0;
    r->field_count = 0;
    r->record_count = 0;
}

static inline void ekscsv_records_free(ekscsv_records *r) {
    free(r->bytes);
    free(r->field_ends);
    free(r->record_ends);
    free(r->record_lines);
    memset(r, 0, sizeof *r);
}

/* RFC 4180 says blanks around an unquoted field belong to it: libcsv trims none. */
static int ekscsv_no_space(unsigned char c) { (void)c; return 0; }

/* ---- 2. The index kernel ------------------------------------------------------------------ */

/* What the kernel found so far, and the state it carries from one 64-byte block to the next.
   Positions are offsets from the `base` the caller passes. The caller keeps room for one entry
   per byte indexed, plus 64, in every array. */
typedef struct {
    uint32_t *commas;        /* every comma outside quotes */
    uint32_t *line_ends;     /* every line feed outside quotes */
    uint32_t *line_commas;   /* per line end: how many entries `commas` had before it */
    uint32_t *events;        /* position << 1 | kind: 0 a byte that breaks the quoting rules or a
                                carriage return outside quotes, 1 a line feed inside quotes */
    uint32_t comma_count, line_count, event_count;
    uint64_t inside;         /* all ones when the bytes so far end inside a quoted field */
    uint64_t prev_special;   /* 1 when the last byte was a quote, comma or line feed (or none) */
    uint64_t prev_closing;   /* 1 when the last byte was a closing quote */
} ekscsv_index;

/* Trailing zeros (64 for 0). On x86 an opaque tzcnt: with the builtin the optimiser turns the
   unrolled writes below into a slow vector emulation of it. */
static inline __attribute__((always_inline)) uint32_t ekscsv_tz(uint64_t bits) {
#if defined(__x86_64__)
    uint64_t zeros;
    __asm__("tzcnt %1, %0" : "=r"(zeros) : "r"(bits) : "cc");
    return (uint32_t)zeros;
#else
    return bits ? (uint32_t)__builtin_ctzll(bits) : 64;
#endif
}

/* Writes base + the position of every set bit to out[0...], in order: 16 writes whatever the
   count (no branch per bit, as simdjson's stage 1 does), then a loop for a denser block. */
static inline __attribute__((always_inline)) void ekscsv_flatten(uint32_t *out, uint32_t base, uint64_t bits) {
    int count = __builtin_popcountll(bits);
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < 16; i++) { out[i] = base + ekscsv_tz(bits); bits &= bits - 1; }
    if (__builtin_expect(count > 16, 0)) {
        for (int i = 16; i < count; i++) { out[i] = base + ekscsv_tz(bits); bits &= bits - 1; }
    }
}

/* The loop over 64-byte blocks, shared by every instruction set; MASKS(pos) sets q, c, l, r to
   the quotes, commas, line feeds and carriage returns of the block at `pos`, PREFIX_XOR(q) has
   bit i set when an odd number of quotes is at or before byte i, FLATTEN(out, pos, bits) writes
   pos + the position of every set bit to out[0...] (and may write more, up to 64 entries). Bit i of x is then set when
   the scan is inside quotes after byte i: a quote with its bit set opens (or reopens, when
   doubled) a quoted field, one with it clear closes it. libcsv's strict mode wants an opening
   quote right after a comma, a line end or a closing quote, and a closing quote right before a
   comma, a line end or another quote. State lives in locals: the arrays are uint32_t like the
   counters, so through `s` every store would force a reload. */
#define EKSCSV_INDEX_LOOP(MASKS, PREFIX_XOR, FLATTEN)                                                       \
    uint64_t inside = s->inside, prev_special = s->prev_special, prev_closing = s->prev_closing;      \
    uint32_t *commas_out = s->commas, *line_ends = s->line_ends, *line_commas = s->line_commas;       \
    uint32_t *events_out = s->events;                                                                 \
    uint32_t comma_count = s->comma_count, line_count = s->line_count, event_count = s->event_count;   \
    for (uint32_t b = 0; b < blocks; b++) {                                                           \
        uint32_t pos = from + b * 64;                                                                 \
        uint64_t q, c, l, r;                                                                          \
        MASKS(pos)                                                                                    \
        uint64_t x = PREFIX_XOR(q) ^ inside;                                                          \
        inside = (uint64_t)((int64_t)x >> 63);                                                        \
        uint64_t special = q | c | l;                                                                 \
        uint64_t previous_special = (special << 1) | prev_special;                                    \
        prev_special = special >> 63;                                                                 \
        uint64_t closing = q & ~x;                                                                    \
        uint64_t after_closing = (closing << 1) | prev_closing;                                       \
        prev_closing = closing >> 63;                                                                 \
        uint64_t wrong = (q & x & ~previous_special) | (after_closing & ~special) | (r & ~x);         \
        uint64_t commas = c & ~x;                                                                     \
        uint64_t lines = l & ~x;                                                                      \
        uint64_t quoted_lines = l & x;                                                                \
        FLATTEN(commas_out + comma_count, pos, commas);                                               \
        uint32_t before = comma_count;                                                                \
        comma_count += (uint32_t)__builtin_popcountll(commas);                                        \
        while (lines) {                                                                               \
            uint64_t bit = lines & (0 - lines);                                                       \
            line_ends[line_count] = pos + ekscsv_tz(lines);                                           \
            line_commas[line_count] = before + (uint32_t)__builtin_popcountll(commas & (bit - 1));    \
            line_count++;                                                                             \
            lines &= lines - 1;                                                                       \
        }                                                                                             \
        uint64_t events = wrong | quoted_lines;                                                       \
        while (__builtin_expect(events != 0, 0)) {                                                    \
            uint32_t at = ekscsv_tz(events);                                                          \
            events_out[event_count++] = ((pos + at) << 1) | (uint32_t)((quoted_lines >> at) & ~(wrong >> at) & 1); \
            events &= events - 1;                                                                     \
        }                                                                                             \
    }                                                                                                 \
    s->inside = inside;                                                                               \
    s->prev_special = prev_special;                                                                   \
    s->prev_closing = prev_closing;                                                                   \
    s->comma_count = comma_count;                                                                     \
    s->line_count = line_count;                                                                       \
    s->event_count = event_count;

static inline uint64_t ekscsv_prefix_xor(uint64_t bits) {
    bits ^= bits << 1;
    bits ^= bits << 2;
    bits ^= bits << 4;
    bits ^= bits << 8;
    bits ^= bits << 16;
    bits ^= bits << 32;
    return bits;
}

/* One bit per byte of `word` equal to the byte repeated in `pattern` (exact, no borrows). */
static inline uint64_t ekscsv_swar_mask(uint64_t word, uint64_t pattern) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    uint64_t y = word ^ pattern;
    uint64_t hit = ~(((y & low7) + low7) | y | low7);
    return ((hit >> 7) * 0x0102040810204080ULL) >> 56;
}

#define EKSCSV_SWAR_MASKS(pos)                                                                \
    q = c = l = r = 0;                                                                        \
    for (int w = 0; w < 8; w++) {                                                             \
        uint64_t word;                                                                        \
        memcpy(&word, base + pos + w * 8, 8);                                                 \
        if (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) word = __builtin_bswap64(word);           \
        q |= ekscsv_swar_mask(word, 0x2222222222222222ULL) << (w * 8);                        \
        c |= ekscsv_swar_mask(word, 0x2C2C2C2C2C2C2C2CULL) << (w * 8);                        \
        l |= ekscsv_swar_mask(word, 0x0A0A0A0A0A0A0A0AULL) << (w * 8);                        \
        r |= ekscsv_swar_mask(word, 0x0D0D0D0D0D0D0D0DULL) << (w * 8);                        \
    }

/* Any CPU: eight bytes at a time in 64-bit integers. */
static void ekscsv_index_portable(ekscsv_index *s, const uint8_t *base, uint32_t from, uint32_t blocks) {
    EKSCSV_INDEX_LOOP(EKSCSV_SWAR_MASKS, ekscsv_prefix_xor, ekscsv_flatten)
}

#if defined(__x86_64__)
#define EKSCSV_AVX2_MASK(low, high, pattern)                                                  \
    ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, pattern))                \
     | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, pattern)) << 32))
#define EKSCSV_AVX2_MASKS(pos)                                                                \
    __m256i low = _mm256_loadu_si256((const __m256i *)(base + pos));                          \
    __m256i high = _mm256_loadu_si256((const __m256i *)(base + pos + 32));                    \
    q = EKSCSV_AVX2_MASK(low, high, quote);                                                   \
    c = EKSCSV_AVX2_MASK(low, high, comma);                                                   \
    l = EKSCSV_AVX2_MASK(low, high, line_feed);                                               \
    r = EKSCSV_AVX2_MASK(low, high, carriage_return);
/* The prefix XOR as one carry-less multiplication by all ones. */
#define EKSCSV_CLMUL_PREFIX_XOR(bits)                                                         \
    ((uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)(bits)), all_ones, 0)))

/* x86-64 with AVX2 (Intel since 2013, AMD since 2015): 32 bytes per compare. */
__attribute__((target("avx2,bmi,bmi2,pclmul,popcnt")))
static void ekscsv_index_avx2(ekscsv_index *s, const uint8_t *base, uint32_t from, uint32_t blocks) {
    const __m256i quote = _mm256_set1_epi8('"'), comma = _mm256_set1_epi8(',');
    const __m256i line_feed = _mm256_set1_epi8('\n'), carriage_return = _mm256_set1_epi8('\r');
    const __m128i all_ones = _mm_set1_epi8((char)0xFF);
    EKSCSV_INDEX_LOOP(EKSCSV_AVX2_MASKS, EKSCSV_CLMUL_PREFIX_XOR, ekscsv_flatten)
}

#define EKSCSV_AVX512_MASKS(pos)                                                              \
    __m512i block = _mm512_loadu_si512((const void *)(base + pos));                           \
    q = _mm512_cmpeq_epi8_mask(block, quote);                                                 \
    c = _mm512_cmpeq_epi8_mask(block, comma);                                                 \
    l = _mm512_cmpeq_epi8_mask(block, line_feed);                                             \
    r = _mm512_cmpeq_epi8_mask(block, carriage_return);

/* The positions of the set bits packed by one compress instruction (VBMI2), widened 16 at a
   time. */
__attribute__((target("avx512f,avx512bw,avx512vbmi2,bmi,bmi2,pclmul,popcnt")))
static inline __attribute__((always_inline)) void ekscsv_flatten_avx512(uint32_t *out, uint32_t base, uint64_t bits, __m512i positions) {
    __m512i packed = _mm512_maskz_compress_epi8(bits, positions);
    __m512i offset = _mm512_set1_epi32((int)base);
    _mm512_storeu_si512(out, _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_castsi512_si128(packed)), offset));
    if (__builtin_expect(__builtin_popcountll(bits) > 16, 0)) {
        _mm512_storeu_si512(out + 16, _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(packed, 1)), offset));
        _mm512_storeu_si512(out + 32, _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(packed, 2)), offset));
        _mm512_storeu_si512(out + 48, _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(packed, 3)), offset));
    }
}
#define EKSCSV_AVX512_FLATTEN(out, pos, bits) ekscsv_flatten_avx512(out, pos, bits, positions)

/* x86-64 with AVX-512 BW and VBMI2 (Intel since Ice Lake, AMD since Zen 4): 64 bytes per
   compare, and the commas' positions packed without a loop. */
__attribute__((target("avx512f,avx512bw,avx512vbmi2,bmi,bmi2,pclmul,popcnt")))
static void ekscsv_index_avx512(ekscsv_index *s, const uint8_t *base, uint32_t from, uint32_t blocks) {
    const __m512i quote = _mm512_set1_epi8('"'), comma = _mm512_set1_epi8(',');
    const __m512i line_feed = _mm512_set1_epi8('\n'), carriage_return = _mm512_set1_epi8('\r');
    const __m128i all_ones = _mm_set1_epi8((char)0xFF);
    const __m512i positions = _mm512_set_epi8(
        63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
        31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    EKSCSV_INDEX_LOOP(EKSCSV_AVX512_MASKS, EKSCSV_CLMUL_PREFIX_XOR, EKSCSV_AVX512_FLATTEN)
}
#endif

/* The best kernel this CPU and OS run: 2 for AVX-512 (F, BW, VBMI2, with the OS saving the ZMM
   and mask registers), 1 for AVX2 (with BMI1, BMI2, PCLMULQDQ, POPCNT and the YMM registers
   saved), else 0. */
static inline int ekscsv_kernel_level(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, pclmul = (c >> 1) & 1, popcnt = (c >> 23) & 1;
    if (!osxsave || !avx || !pclmul || !popcnt) return 0;
    uint32_t xcr0, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0), "=d"(xcr0_high) : "c"(0));
    if ((xcr0 & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx2 = (b >> 5) & 1, bmi1 = (b >> 3) & 1, bmi2 = (b >> 8) & 1;
    if (!avx2 || !bmi1 || !bmi2) return 0;
    int avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, vbmi2 = (c >> 6) & 1;
    return avx512f && avx512bw && vbmi2 && (xcr0 & 0xE6) == 0xE6 ? 2 : 1;
#else
    return 0;
#endif
}

/* Indexes `blocks` blocks of 64 bytes from base + from (the bytes must be readable) with the
   kernel of `level` (at most ekscsv_kernel_level()). */
static inline void ekscsv_index_blocks(ekscsv_index *s, const uint8_t *base, uint32_t from, uint32_t blocks, int level) {
#if defined(__x86_64__)
    if (level >= 2) {
        ekscsv_index_avx512(s, base, from, blocks);
        return;
    }
    if (level == 1) {
        ekscsv_index_avx2(s, base, from, blocks);
        return;
    }
#endif
    (void)level;
    ekscsv_index_portable(s, base, from, blocks);
}

#endif
