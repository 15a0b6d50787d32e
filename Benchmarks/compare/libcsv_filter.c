/* The On-Demand Linux Shared query of an AmazonEC2 offer file (CSV) in plain C with libcsv:
 * rows with TermType OnDemand, Operating System Linux and Tenancy Shared, counted, and their
 * PricePerUnit summed. Columns are found by name in the header (the 6th record, after the 5
 * metadata rows). Prints "rows=N sum=S". Build: cc -O2 -o libcsv_filter libcsv_filter.c -lcsv */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct query {
    long record;        /* records completed so far */
    int field;          /* index of the next field in the current record */
    int term, os, tenancy, price;
    int matches;        /* conditions met in the current record */
    char price_text[64];
    long rows;
    double sum;
};

static int same(const void *data, size_t length, const char *literal) {
    return length == strlen(literal) && memcmp(data, literal, length) == 0;
}

static void on_field(void *data, size_t length, void *context) {
    struct query *q = context;
    if (q->record == 5) {  /* the header */
        if (same(data, length, "TermType")) q->term = q->field;
        else if (same(data, length, "Operating System")) q->os = q->field;
        else if (same(data, length, "Tenancy")) q->tenancy = q->field;
        else if (same(data, length, "PricePerUnit")) q->price = q->field;
    } else if (q->record > 5) {
        if (q->field == q->term && same(data, length, "OnDemand")) q->matches++;
        else if (q->field == q->os && same(data, length, "Linux")) q->matches++;
        else if (q->field == q->tenancy && same(data, length, "Shared")) q->matches++;
        else if (q->field == q->price && length < sizeof q->price_text) {
            memcpy(q->price_text, data, length);
            q->price_text[length] = 0;
        }
    }
    q->field++;
}

static void on_record(int terminator, void *context) {
    struct query *q = context;
    (void)terminator;
    if (q->field == 0) return;  /* blank line */
    if (q->record > 5 && q->matches == 3) {
        q->rows++;
        q->sum += strtod(q->price_text, NULL);
    }
    q->record++;
    q->field = 0;
    q->matches = 0;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s OFFER.csv\n", argv[0]); return 64; }
    FILE *file = fopen(argv[1], "rb");
    if (!file) { perror(argv[1]); return 1; }
    struct csv_parser parser;
    if (csv_init(&parser, 0) != 0) return 1;
    struct query q = {0};
    q.term = q.os = q.tenancy = q.price = -1;
    static char buffer[1 << 20];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0) {
        if (csv_parse(&parser, buffer, n, on_field, on_record, &q) != n) {
            fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&parser)));
            return 1;
        }
    }
    csv_fini(&parser, on_field, on_record, &q);
    csv_free(&parser);
    fclose(file);
    printf("rows=%ld sum=%.4f\n", q.rows, q.sum);
    return 0;
}
