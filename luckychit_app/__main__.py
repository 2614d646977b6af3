import sys

from luckychit_app.cli import main

sys.exit(main())
