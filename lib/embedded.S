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

/* The built-in dictionary's automaton, built by tools/build-automaton.c;
   that program links this file without it. */
#ifdef ERRATA_AUTOMATON_IMAGE
EMBED(errata_embedded_automaton, ERRATA_AUTOMATON_IMAGE)
#else
    .section .rodata
    .globl errata_embedded_automaton
    .hidden errata_embedded_automaton
    .globl errata_embedded_automaton_end
    .hidden errata_embedded_automaton_end
errata_embedded_automaton:
errata_embedded_automaton_end:
#endif

    .section .note.GNU-stack,"",@progbits
