#ifndef KIOSKD_CQRENCODE_SHIM_H
#define KIOSKD_CQRENCODE_SHIM_H
// libqrencode from Debian's libqrencode-dev.
#include <qrencode.h>
#endif
