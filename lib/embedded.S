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

EMBED(errata_embedded_swaps, "dictionaries/swaps.dict")
EMBED(errata_embedded_model, "dictionaries/zh-lm.bin")
EMBED(errata_embedded_char_model, "dictionaries/zh-formal-chars.bin")
EMBED(errata_embedded_lookalike, "dictionaries/lookalike.tsv")

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
EMBED(errata_embedded_automaton, ERRATA_AUTOMATON_IMAGE)
EMBED(errata_embedded_dictionary, ERRATA_DICTIONARY_IMAGE)
EMBED(errata_embedded_char_tables, ERRATA_CHAR_TABLES_IMAGE)
#else
EMPTY(errata_embedded_automaton)
EMPTY(errata_embedded_dictionary)
EMPTY(errata_embedded_char_tables)
#endif

    .section .note.GNU-stack,"",@progbits
