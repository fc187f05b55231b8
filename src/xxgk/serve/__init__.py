"""``xxgk serve``: the ribbon buttons over HTTP on 127.0.0.1, for the WPS add-in (addin/wps).

WPS cannot run xlwings; its JS add-in reads the workbook in bulk, posts the snapshot here and
writes back what comes back. The service computes with the very functions the xlwings buttons
use (:func:`xxgk.addin.buttons.plan`), so both ribbons say and write the same.

Modules: :mod:`.wire` (JSON ⇄ Snapshot/Outcome, with the size limits), :mod:`.state` (the
per-start token and port in a user-only file the add-in reads), :mod:`.server` (HTTP and the
security checks).
"""
