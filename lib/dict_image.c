/* The built-in dictionary, parsed and merged into keys once when the
   library is built (tools/build-images.c), as an image read in place at
   start-up instead of parsing the text every time.

   After the header (integers little-endian, checked by
   errata_check_image_header), each section 8-byte aligned, as the host
   lays the engine's structures out (the image is built on the machine that
   builds the library; the header records the byte order and the structures'
   sizes): text (the dictionary's strings, then the examples'), entries
   (errata_entry), item_offsets and item_lens (u32 per item), keys
   (errata_key), key_entries and key_originals (u32 per entry), examples
   (u32 text, expected and line each). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define DI_MAGIC "ERRATADI"
#define DI_VERSION 1
#define DI_HEADER_SIZE 72
#define DI_BYTE_ORDER 0x01020304u /* as the host stores it, at offset 24 */

static const errata_image_format di_format = {DI_MAGIC, DI_VERSION, DI_HEADER_SIZE,
                                              "dictionary image"};

enum { EXAMPLE_TEXT, EXAMPLE_EXPECTED, EXAMPLE_LINE, EXAMPLE_FIELDS };

typedef struct {
    size_t text_len, entries, items, keys, examples;
} image_counts;

/* Offsets of the sections (and, last, the image's size) for these counts. */
typedef struct {
    size_t text, entries, item_offsets, item_lens, keys, key_entries, key_originals, examples,
        size;
} image_layout;

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static image_layout layout_of(const image_counts *c)
{
    image_layout l;
    l.text = DI_HEADER_SIZE;
    l.entries = align8(l.text + c->text_len);
    l.item_offsets = align8(l.entries + c->entries * sizeof(errata_entry));
    l.item_lens = align8(l.item_offsets + c->items * sizeof(uint32_t));
    l.keys = align8(l.item_lens + c->items * sizeof(uint32_t));
    l.key_entries = align8(l.keys + c->keys * sizeof(errata_key));
    l.key_originals = align8(l.key_entries + c->entries * sizeof(uint32_t));
    l.examples = align8(l.key_originals + c->entries * sizeof(uint32_t));
    l.size = align8(l.examples + c->examples * EXAMPLE_FIELDS * sizeof(uint32_t));
    return l;
}

/* The examples' strings after the dictionary's text, their offsets in
   records (EXAMPLE_FIELDS each); *text_len grows by their bytes. */
static void put_examples(const errata_dictionary *d, unsigned char *text, size_t *text_len,
                         uint32_t *records)
{
    for (size_t i = 0; i < d->example_count; i++) {
        const errata_example *ex = &d->examples[i];
        const char *strings[] = {ex->text, ex->expected};
        for (int f = EXAMPLE_TEXT; f <= EXAMPLE_EXPECTED; f++) {
            size_t n = strlen(strings[f]) + 1;
            memcpy(text + *text_len, strings[f], n);
            records[EXAMPLE_FIELDS * i + f] = (uint32_t)*text_len;
            *text_len += n;
        }
        records[EXAMPLE_FIELDS * i + EXAMPLE_LINE] = (uint32_t)ex->line;
    }
}

static void put_header(unsigned char *img, const image_counts *c, size_t size,
                       uint32_t source_checksum)
{
    uint32_t order = DI_BYTE_ORDER;
    memcpy(img + 24, &order, 4);
    errata_store_le32(img + 28, (uint32_t)sizeof(errata_entry));
    errata_store_le32(img + 32, (uint32_t)sizeof(errata_key));
    errata_store_le32(img + 36, source_checksum);
    errata_store_le32(img + 40, errata_image_checksum(img + DI_HEADER_SIZE, size - DI_HEADER_SIZE));
    errata_store_le32(img + 44, (uint32_t)c->text_len);
    errata_store_le32(img + 48, (uint32_t)c->entries);
    errata_store_le32(img + 52, (uint32_t)c->items);
    errata_store_le32(img + 56, (uint32_t)c->keys);
    errata_store_le32(img + 60, (uint32_t)c->examples);
    errata_image_seal_header(img, &di_format);
}

int errata_dictionary_image(const errata_engine *engine, uint32_t source_checksum,
                            unsigned char **out, size_t *out_len)
{
    const errata_dictionary *d = &engine->dict;
    image_counts c = {d->text_len, d->entry_count, d->item_count, engine->key_count,
                      d->example_count};
    for (size_t i = 0; i < d->example_count; i++)
        c.text_len += strlen(d->examples[i].text) + strlen(d->examples[i].expected) + 2;
    if (c.text_len > UINT32_MAX)
        return errata_fail(ERRATA_ENOMEM, "dictionary image: more than 4 GB of strings");
    image_layout l = layout_of(&c);
    unsigned char *img = errata_image_new(&di_format, l.size);
    if (!img)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    memcpy(img + l.text, d->text, d->text_len);
    size_t text_len = d->text_len;
    put_examples(d, img + l.text, &text_len, (uint32_t *)(void *)(img + l.examples));
    memcpy(img + l.entries, d->entries, c.entries * sizeof(errata_entry));
    memcpy(img + l.item_offsets, d->item_offsets, c.items * sizeof(uint32_t));
    memcpy(img + l.item_lens, d->item_lens, c.items * sizeof(uint32_t));
    memcpy(img + l.keys, engine->keys, c.keys * sizeof(errata_key));
    memcpy(img + l.key_entries, engine->key_entries, c.entries * sizeof(uint32_t));
    memcpy(img + l.key_originals, engine->key_originals, c.entries * sizeof(uint32_t));
    put_header(img, &c, l.size, source_checksum);
    *out = img;
    *out_len = l.size;
    return ERRATA_OK;
}

/* The counts of a sound image, made from the expected source.  With
   source_checksum NULL (the image built with the library: checked by its
   tests, and of the same build as the text it was made from) the contents
   are not read, neither to tell which text they were made from nor for
   their checksum: that work grows with the dictionary, at every start-up. */
static int check_image(const unsigned char *data, size_t size, const char *name,
                       const uint32_t *source_checksum, image_counts *c)
{
    int rc = errata_check_image_header(data, size, name, &di_format);
    if (rc)
        return rc;
    uint32_t order;
    memcpy(&order, data + 24, 4);
    if (order != DI_BYTE_ORDER || errata_load_le32(data + 28) != sizeof(errata_entry) ||
        errata_load_le32(data + 32) != sizeof(errata_key))
        return errata_fail(ERRATA_EFORMAT, "%s: built for another byte order or structure layout",
                           name);
    if (source_checksum && errata_load_le32(data + 36) != *source_checksum)
        return errata_fail(ERRATA_EFORMAT,
                           "%s: made from another dictionary text (checksum %08x, the text's %08x)",
                           name, errata_load_le32(data + 36), *source_checksum);
    *c = (image_counts){errata_load_le32(data + 44), errata_load_le32(data + 48), errata_load_le32(data + 52),
                        errata_load_le32(data + 56), errata_load_le32(data + 60)};
    if (layout_of(c).size != size)
        return errata_fail(ERRATA_EFORMAT, "%s: %zu bytes, its counts make %zu", name, size,
                           layout_of(c).size);
    if (source_checksum &&
        errata_image_checksum(data + DI_HEADER_SIZE, size - DI_HEADER_SIZE) != errata_load_le32(data + 40))
        return errata_fail(ERRATA_EFORMAT, "%s: checksum mismatch (corrupted contents)", name);
    return ERRATA_OK;
}

int errata_dictionary_make_examples(errata_dictionary *d)
{
    if (d->examples || d->example_count == 0)
        return ERRATA_OK;
    errata_example *examples = malloc(d->example_count * sizeof *examples);
    if (!examples)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->example_count; i++) {
        const uint32_t *r = d->example_records + EXAMPLE_FIELDS * i;
        examples[i] = (errata_example){d->text + r[EXAMPLE_TEXT], d->text + r[EXAMPLE_EXPECTED],
                                       d->sources[0], r[EXAMPLE_LINE]};
    }
    d->examples = examples;
    d->example_cap = d->example_count;
    return ERRATA_OK;
}

static int open_image(errata_engine *engine, const void *data, size_t size, const char *name,
                      const char *source, const uint32_t *source_checksum)
{
    const unsigned char *bytes = data;
    if ((uintptr_t)bytes % 8 != 0)
        return errata_fail(ERRATA_EINVAL, "%s: not 8-byte aligned in memory", name);
    image_counts c;
    int rc = check_image(bytes, size, name, source_checksum, &c);
    if (rc)
        return rc;
    image_layout l = layout_of(&c);
    errata_dictionary *d = &engine->dict;
    /* The image is read in place: its sections are never written. */
    d->in_place = 1;
    d->text = (char *)(uintptr_t)(bytes + l.text);
    d->text_len = d->text_cap = c.text_len;
    d->entries = (errata_entry *)(uintptr_t)(bytes + l.entries);
    d->entry_count = d->entry_cap = c.entries;
    d->item_offsets = (uint32_t *)(uintptr_t)(bytes + l.item_offsets);
    d->item_lens = (uint32_t *)(uintptr_t)(bytes + l.item_lens);
    d->item_count = d->item_cap = c.items;
    engine->keys = (errata_key *)(uintptr_t)(bytes + l.keys);
    engine->key_count = c.keys;
    engine->key_entries = (uint32_t *)(uintptr_t)(bytes + l.key_entries);
    engine->key_originals = (uint32_t *)(uintptr_t)(bytes + l.key_originals);
    d->example_records = (const uint32_t *)(const void *)(bytes + l.examples);
    d->example_count = c.examples;
    d->sources = malloc(sizeof *d->sources);
    if (!d->sources || !(d->sources[0] = strdup(source)))
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    d->source_count = d->source_cap = 1;
    return ERRATA_OK;
}

int errata_dictionary_open_image(errata_engine *engine, const void *data, size_t size,
                                 const char *name, const char *source, uint32_t source_checksum)
{
    return open_image(engine, data, size, name, source, &source_checksum);
}

int errata_dictionary_open_built_in_image(errata_engine *engine, const void *data, size_t size,
                                          const char *name, const char *source)
{
    return open_image(engine, data, size, name, source, NULL);
}
