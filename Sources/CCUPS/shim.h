#ifndef KIOSKD_CCUPS_SHIM_H
#define KIOSKD_CCUPS_SHIM_H
// libcups from Debian's libcups2-dev, which ships no pkg-config file.
#include <cups/cups.h>
#include <cups/ipp.h>
#include <cups/http.h>
#include <sys/syscall.h>
#include <unistd.h>

// An anonymous in-memory file (memfd_create, close-on-exec) to hand a job's document to
// cupsDoIORequest; glibc declares memfd_create only with _GNU_SOURCE.
static inline int kioskd_memfd(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */);
}
#endif
