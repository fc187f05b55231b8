"""The collecting office: audit a whole region's reports into one store (SQLite), keep the
reviewers' decisions across runs, compare years and agencies, and write what people look at
(summary workbook, dashboard page, 整改通知 letters).

Modules: :mod:`.store` (the SQLite file), :mod:`.agencies` (names and roster), :mod:`.reading`
(one file → report + findings, run in worker processes), :mod:`.run` (the audit pipeline),
:mod:`.similar` (copied text across agencies), :mod:`.compare` (two-year comparison),
:mod:`.reviews` (decisions), :mod:`.indicators` (indicators as data), :mod:`.summary_xlsx`,
:mod:`.dashboard`, :mod:`.letters` (outputs) and :mod:`.commands` (the thin CLI glue).
"""
