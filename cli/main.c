/* Placeholder until the CLI lands. */
#include <stdio.h>

#include "errata.h"

int main(void)
{
    puts(errata_version());
    return 0;
}
