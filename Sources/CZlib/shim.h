#ifndef EKSCOST_CZLIB_SHIM_H
#define EKSCOST_CZLIB_SHIM_H
#if __has_include(<zlib.h>)
#include <zlib.h>
#else
#error "zlib is missing: run 'sudo apt-get install -y zlib1g-dev' (or 'make setup')"
#endif
#endif
