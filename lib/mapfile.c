/* Model images: mapping a file read-only into memory, and the checks of
   a header every errata model format shares. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
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

/* The checksum in a header's last four bytes: of the bytes before them. */
static uint32_t header_checksum(const unsigned char *header, uint32_t header_size)
{
    uint32_t h = 0x811C9DC5u; /* FNV-1a */
    for (size_t i = 0; i + 4 < header_size; i++)
        h = (h ^ header[i]) * 0x01000193u;
    return h;
}

unsigned char *errata_image_new(const errata_image_format *format, size_t size)
{
    unsigned char *image = calloc(1, size);
    if (!image)
        return NULL;
    memcpy(image, format->magic, 8);
    errata_store_le32(image + 8, format->version);
    errata_store_le32(image + 12, format->header_size);
    errata_store_le32(image + 16, (uint32_t)size);
    errata_store_le32(image + 20, (uint32_t)((uint64_t)size >> 32));
    return image;
}

void errata_image_seal_header(unsigned char *image, const errata_image_format *format)
{
    uint32_t header_size = format->header_size;
    errata_store_le32(image + header_size - 4, header_checksum(image, header_size));
}

static uint64_t word_at(const unsigned char *p)
{
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

uint32_t errata_image_checksum(const void *data, size_t len)
{
    /* FNV-1a's 64-bit step on four interleaved lanes of eight-byte words:
       the lanes' multiplications do not wait for each other. */
    const uint64_t prime = 0x100000001B3u;
    const unsigned char *p = data;
    uint64_t a = 0xCBF29CE484222325u, b = 1, c = 2, d = 3;
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        a = (a ^ word_at(p + i)) * prime;
        b = (b ^ word_at(p + i + 8)) * prime;
        c = (c ^ word_at(p + i + 16)) * prime;
        d = (d ^ word_at(p + i + 24)) * prime;
    }
    uint64_t h = (((a ^ b) * prime ^ c) * prime ^ d) * prime;
    for (; i < len; i++)
        h = (h ^ p[i]) * prime;
    return (uint32_t)(h ^ h >> 32);
}

int errata_check_image_header(const unsigned char *data, size_t size, const char *name,
                              const errata_image_format *format)
{
    const char *kind = format->kind;
    uint32_t header_size = format->header_size;
    if (size == 0)
        return errata_fail(ERRATA_EFORMAT, "%s: empty %s", name, kind);
    if (size < 8 || memcmp(data, format->magic, 8) != 0)
        return errata_fail(ERRATA_EFORMAT, "%s: not an errata %s (bad magic)", name, kind);
    if (size < header_size)
        return errata_fail(ERRATA_EFORMAT, "%s: truncated: %zu bytes, the header alone needs %u",
                           name, size, header_size);
    if (errata_load_le32(data + 8) != format->version)
        return errata_fail(ERRATA_EFORMAT, "%s: format version %u, this library reads version %u",
                           name, errata_load_le32(data + 8), format->version);
    if (errata_load_le32(data + 12) != header_size)
        return errata_fail(ERRATA_EFORMAT, "%s: header size %u, expected %u", name,
                           errata_load_le32(data + 12), header_size);
    if (header_checksum(data, header_size) != errata_load_le32(data + header_size - 4))
        return errata_fail(ERRATA_EFORMAT, "%s: header checksum mismatch (corrupted header)", name);
    uint64_t declared = (uint64_t)errata_load_le32(data + 16) | (uint64_t)errata_load_le32(data + 20) << 32;
    if (declared != size)
        return errata_fail(ERRATA_EFORMAT, "%s: %s: %zu bytes, the header says %llu", name,
                           size < declared ? "truncated" : "trailing bytes", size,
                           (unsigned long long)declared);
    return ERRATA_OK;
}
