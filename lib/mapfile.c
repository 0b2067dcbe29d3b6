/* Mapping a data file (a model) read-only into memory. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int errata_map_file(const char *path, void **map, size_t *size)
{
    *map = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errata_fail(ERRATA_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return errata_fail(ERRATA_EIO, "%s: cannot stat: %s", path, strerror(err));
    }
    if (st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            int err = errno;
            close(fd);
            return errata_fail(ERRATA_EIO, "%s: cannot map: %s", path, strerror(err));
        }
        *map = m;
        *size = (size_t)st.st_size;
    }
    close(fd);
    return ERRATA_OK;
}
