#ifndef KIOSKD_CCUPS_SHIM_H
#define KIOSKD_CCUPS_SHIM_H
// libcups from Debian's libcups2-dev, which ships no pkg-config file.
#include <cups/cups.h>
#include <cups/ipp.h>
#include <cups/http.h>
#endif
