/* Writes the automaton of the built-in dictionary as an image (lib/ac.c),
   which the library embeds and reads in place instead of building it at
   every start-up.  Linked against the library's objects without that image,
   so the engine builds the automaton here as it would without one.
   Usage: build-automaton OUTPUT */
#include <stdio.h>
#include <stdlib.h>

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

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: build-automaton OUTPUT\n", stderr);
        return 2;
    }
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_model = 1;
    opts.no_char_model = 1;
    errata_engine *engine;
    if (errata_engine_new(&engine, &opts) != ERRATA_OK) {
        fprintf(stderr, "build-automaton: %s\n", errata_error_message());
        return 2;
    }
    unsigned char *image = NULL;
    size_t len = 0;
    int rc = errata_ac_image(engine->automaton, errata_engine_keys_checksum(engine), &image, &len);
    if (rc)
        fprintf(stderr, "build-automaton: %s\n", errata_error_message());
    else
        rc = write_file(argv[1], image, len);
    free(image);
    errata_engine_free(engine);
    return rc ? 2 : 0;
}
