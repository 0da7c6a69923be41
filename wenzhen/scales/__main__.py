"""`python -m wenzhen.scales`: lint the scale KB (same as `python -m wenzhen.scales.loader`)."""
from .loader import main

raise SystemExit(main())
