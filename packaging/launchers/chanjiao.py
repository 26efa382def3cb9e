"""The bundle's `chanjiao` executable: the console script `desktop.__main__:main`, frozen.

`--self-test` is answered here before the app's own start, so a bundle can be checked even when
the app's start-up is what is broken.
"""

import os
import sys

if __name__ == "__main__":
    # The app never changes pypinyin's dictionaries; copying them costs ~0.1 s at every start.
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    if "--self-test" in sys.argv[1:]:
        from desktop.self_test import run_self_test

        sys.exit(run_self_test(sys.argv[1:]))
    from desktop.__main__ import main

    sys.exit(main())
