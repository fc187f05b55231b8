"""OFFICE-COPIED: a section of one agency's report near-identical to the same section of another
agency's report of the same year. Both reports get a 提示 naming the other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xxgk.office.definitions import office_finding
from xxgk.office.reading import fingerprint
from xxgk.office.similar import longest_passage, normalise, similar_pairs
from xxgk.report import Report
from xxgk.spec import Format, load_format

RULE = "OFFICE-COPIED"


@dataclass(frozen=True)
class Texts:
    """A report's name and texts only: all the search needs, small enough to hold a whole
    year of a country's reports."""

    agency: str
    format: str
    texts: dict[str, str]

    @property
    def spec(self) -> Format:
        return load_format(self.format)


def copied_findings(members: list[tuple[str, Report | Texts]]) -> dict[str, list[dict[str, Any]]]:
    """{path: finding rows} over the reports of one year."""
    rule = office_finding(RULE)
    out: dict[str, list[dict[str, Any]]] = {}
    if len(members) < 2:
        return out
    fmt_texts: dict[str, str] = {}
    for _, report in members:
        for key, field in report.spec.texts.items():
            fmt_texts.setdefault(key, field.label)
    for key, label in fmt_texts.items():
        docs = {}
        for n, (_, report) in enumerate(members):
            text = normalise(report.texts.get(key) or "", [report.agency])
            if len(text) >= rule["min_length"]:
                docs[n] = text
        for a, b, sim in similar_pairs(docs, rule["threshold"], rule["shingle"]):
            for me, other in ((a, b), (b, a)):
                path, report = members[me]
                them = members[other][1]
                passage = longest_passage((report.texts.get(key) or "").strip(), (them.texts.get(key) or "").strip())
                passage = passage.strip()[: rule["passage_chars"]]
                similarity = round(sim * 100)
                message = rule["message"].format(label=label, other=them.agency or "（未署名单位）",
                                                 similarity=similarity, passage=passage)
                out.setdefault(path, []).append({
                    "id": f"{RULE}:{key}:{them.agency}", "origin": "office", "rule": RULE,
                    "severity": rule["severity"], "title": rule["title"], "message": message,
                    "addresses": [], "left": them.agency, "right": similarity, "diff": None,
                    "fingerprint": fingerprint(them.agency, similarity, None)})
    return out
