/* The default dictionaries and language model, linked into the library so
   that it needs no data files; the pages are mapped on demand by the loader. */
#define EMBED(name, file)            \
    .section .rodata;                \
    .balign 64;                      \
    .globl name;                     \
    .hidden name;                    \
name:                                \
    .incbin file;                    \
    .globl name##_end;               \
    .hidden name##_end;              \
name##_end:                          \
    .byte 0

/* The built-in dictionary's automaton, the dictionary parsed and the
   character model's tables, made by tools/build-images.c; that program
   links this file without them. */
#define EMPTY(name)                  \
    .section .rodata;                \
    .globl name;                     \
    .hidden name;                    \
    .globl name##_end;               \
    .hidden name##_end;              \
name:                                \
name##_end:

#ifdef ERRATA_AUTOMATON_IMAGE
#define IMAGES                                                        \
    EMBED(errata_embedded_automaton, ERRATA_AUTOMATON_IMAGE);         \
    EMBED(errata_embedded_dictionary, ERRATA_DICTIONARY_IMAGE);       \
    EMBED(errata_embedded_char_tables, ERRATA_CHAR_TABLES_IMAGE)
#else
#define IMAGES                                                        \
    EMPTY(errata_embedded_automaton);                                 \
    EMPTY(errata_embedded_dictionary);                                \
    EMPTY(errata_embedded_char_tables)
#endif

#define MODELS                                                        \
    EMBED(errata_embedded_swaps, "dictionaries/swaps.dict");          \
    EMBED(errata_embedded_model, "dictionaries/zh-lm.bin");           \
    EMBED(errata_embedded_char_model, "dictionaries/zh-formal-chars.bin"); \
    EMBED(errata_embedded_lookalike, "dictionaries/lookalike.tsv")

/* errata_embedded_start and errata_embedded_end bound all of it (for the
   huge-page advice of lib/engine.c).  ERRATA_IMAGES_FIRST (the static
   errata command, see the Makefile) puts the images, which a run reads
   first and most, before the models, and the look-alike table, which
   only OCR-looking text reads, last. */
    .section .rodata
    .balign 64
    .globl errata_embedded_start
    .hidden errata_embedded_start
errata_embedded_start:
#ifdef ERRATA_IMAGES_FIRST
IMAGES
MODELS
#else
MODELS
IMAGES
#endif
    .globl errata_embedded_end
    .hidden errata_embedded_end
errata_embedded_end:

    .section .note.GNU-stack,"",@progbits
