"""Exit 0 when a PostgreSQL server answers at the given URL (used by `make test`)."""

import sys

try:
    import psycopg
except ImportError:  # pragma: no cover
    sys.exit(1)

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
sys.exit(0)
