/* Writes an image that the library embeds and reads in place instead of
   doing the work at every start-up: the built-in dictionary's automaton
   (lib/ac.c), the dictionary itself, parsed and merged into keys
   (lib/dict_image.c), or the tables derived from the built-in character
   model (lib/cm.c).  Linked against the library's objects without those
   images, so the engine parses the dictionary, builds the automaton and
   derives the tables here as it would without them.
   Usage: build-images automaton|dictionary|char-tables OUTPUT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm.h"
#include "engine.h"

static int write_file(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

static int make_image(const errata_engine *engine, const char *kind, unsigned char **image,
                      size_t *len)
{
    if (strcmp(kind, "char-tables") == 0)
        return errata_cm_tables_image(engine->cm, image, len);
    if (strcmp(kind, "automaton") == 0)
        return errata_ac_image(engine->automaton, errata_engine_keys_checksum(engine), image, len);
    return errata_dictionary_image(engine, errata_built_in_dictionary_checksum(), image, len);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "automaton") != 0 && strcmp(argv[1], "dictionary") != 0 &&
                      strcmp(argv[1], "char-tables") != 0)) {
        fputs("usage: build-images automaton|dictionary|char-tables OUTPUT\n", stderr);
        return 2;
    }
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_model = 1;
    opts.no_char_model = strcmp(argv[1], "char-tables") != 0;
    errata_engine *engine;
    if (errata_engine_new(&engine, &opts) != ERRATA_OK) {
        fprintf(stderr, "build-images: %s\n", errata_error_message());
        return 2;
    }
    unsigned char *image = NULL;
    size_t len = 0;
    int rc = make_image(engine, argv[1], &image, &len);
    if (rc)
        fprintf(stderr, "build-images: %s\n", errata_error_message());
    else
        rc = write_file(argv[2], image, len);
    free(image);
    errata_engine_free(engine);
    return rc ? 2 : 0;
}
