"""xxgk：政府信息公开年报助手 (government information disclosure annual report assistant).

The pure-Python core: the official format as data (:mod:`xxgk.spec`), the report model
(:mod:`xxgk.report`), its JSON Schema (:mod:`xxgk.schema`) and the rule engine
(:mod:`xxgk.rules`). Nothing here imports xlwings; the add-in is a thin adapter over these calls.
"""

__version__ = "0.1.0"
