#ifndef EKSCOST_CLIBCSV_SHIM_H
#define EKSCOST_CLIBCSV_SHIM_H
#if __has_include(<csv.h>)
#include <csv.h>
#else
#error "libcsv is missing: run 'sudo apt-get install -y libcsv-dev' (or 'make setup')"
#endif
#endif
