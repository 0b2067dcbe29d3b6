"""Run errata as a new user would: with no user configuration.

errata loads a user dictionary from $ERRATA_USER_DICT, else from
${XDG_CONFIG_HOME:-$HOME/.config}/errata/user.dict (cli/common.c), so the
answers a reviewer taught it would change the figures of `make eval`.
isolate() unsets the two variables in this process's environment, which the
errata processes it starts inherit, and points HOME at an empty temporary
directory (removed at exit).
"""

import atexit
import os
import shutil
import tempfile


def isolate():
    """Isolate errata from the user's configuration; return a line saying so."""
    for name in ("ERRATA_USER_DICT", "XDG_CONFIG_HOME"):
        os.environ.pop(name, None)
    home = tempfile.mkdtemp(prefix="errata-eval-home.")
    atexit.register(shutil.rmtree, home, True)
    os.environ["HOME"] = home
    return ("errata runs with no user configuration: ERRATA_USER_DICT and XDG_CONFIG_HOME unset, "
            f"HOME an empty directory ({home})")
