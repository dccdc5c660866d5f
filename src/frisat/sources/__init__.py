"""Documents from official sources turned into register records.

``lexdania`` parses Retsinformation's LexDania XML, ``retsinformation`` fetches it politely,
``acts`` turns a parsed act into provision versions chained across consolidations, and
``registers`` reads the institution registers (STIL, Dagtilbudsregisteret,
Plejehjemsoversigten).
"""
