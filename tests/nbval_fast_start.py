"""A pytest plugin for the nbval sessions over notebooks/ (``-p tests.nbval_fast_start``).

nbval imports nbformat, which imports jsonschema. jsonschema, at import, loads every optional
format checker it finds, and rfc3987-syntax (installed for jupyter-events, through
``jsonschema[format-nongpl]``) builds an Earley parser of RFC 3987 when it loads: 2-4 s of
every pytest process on a 2-core machine, in the controller and in each xdist worker. Those
processes only read and compare notebooks; nothing in them checks an IRI's syntax. So this
plugin, loaded before pytest's entry-point plugins, marks rfc3987_syntax as absent, and
jsonschema goes on without its "iri" format checker, as it does wherever the package is not
installed. Kernels, Jupyter servers and the tests/ session are untouched.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
