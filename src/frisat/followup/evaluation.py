"""Did the freedom work? Difference-in-differences with few treated units — pure, no Django.

Given a panel (unit → period → value), the treated units with their treatment dates and a
comparison group, ``evaluate`` returns:

- the two-way fixed-effects difference-in-differences estimate (unit and period fixed
  effects, OLS by statsmodels), with periods that are only partly treated left out;
- its 95 % interval and p-value from randomization (placebo) inference: the same estimate
  with the treatment given to ``k`` comparison units drawn at random (every combination
  when there are fewer than ``draws``), the actual treated units left out. The interval is
  Conley & Taber's (2011): the estimate minus the 97.5 % and 2.5 % quantiles of the placebo
  estimates. Plain cluster-robust errors are far too small with two or three treated
  clusters; placebo inference holds when the treated units' errors are like the others';
- an event study (one coefficient per period relative to the start, the last untreated
  period as reference) with placebo intervals, and a pre-trend test: the sum of squared
  pre-period coefficients against its placebo distribution;
- a synthetic control per treated unit (pysyncon's ``Synth``, equal weights on the
  pre-period outcomes) where at least three pre-periods exist;
- warnings in plain Danish and English when the data cannot carry a conclusion.

A series break (a new method from a period) is respected: the estimate never compares
across it. The window is the stretch between breaks that holds the treatment start; the
periods on the other side are left out and a warning says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from frisat.followup import periods as P

COVID = (dt.date(2020, 3, 11), dt.date(2022, 2, 1))  # lockdown to the end of restrictions
MIN_PRE = 3  # fewer pre-periods: warned; the synthetic control needs at least this many
ALPHA = 0.05


@dataclass(frozen=True)
class Treatment:
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class Reform:
    """A national change in the same years, which the comparison is exposed to as well."""

    key: str
    area: str
    start: dt.date
    end: dt.date | None
    da: str
    en: str
    source: str


@dataclass
class Design:
    treated: dict[str, Treatment]
    comparison: list[str]
    period_kind: str = "year"
    breaks: list[dict[str, str]] = field(default_factory=list)
    area: str = ""
    reforms: list[Reform] = field(default_factory=list)
    small_units: dict[str, str] = field(default_factory=dict)  # unit -> why (da, en joined)
    draws: int = 1000
    seed: int = 20210515


def _warn(code: str, da: str, en: str, severity: str = "warning", **extra: Any) -> dict[str, Any]:
    return {"code": code, "severity": severity, "message": da, "message_en": en, **extra}


def _num(x: float | None, digits: int = 4) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), digits)


# -- the panel around the treatment ----------------------------------------------------------


def _status(period: str, kind: str, t: Treatment) -> str:
    """pre | partial | post | after (the regime had ended) for one treated unit."""
    start, end = P.span(period, kind)
    if end <= t.start:
        return "pre"
    if t.end is not None and start >= t.end:
        return "after"
    if start < t.start or (t.end is not None and end > t.end):
        return "partial"
    return "post"


def window(all_periods: list[str], design: Design) -> tuple[list[str], list[dict[str, Any]]]:
    """The periods the estimate may use (between series breaks), and warnings."""
    kind = design.period_kind
    warnings: list[dict[str, Any]] = []
    first_start = min(t.start for t in design.treated.values())
    cuts = sorted(b["period"] for b in design.breaks)
    lo, hi = None, None
    for c in cuts:
        c_start, _ = P.span(c, kind)
        if c_start <= first_start:
            lo = c
        elif hi is None:
            hi = c
    kept = [p for p in all_periods if (lo is None or P.order(p) >= P.order(lo))
            and (hi is None or P.order(p) < P.order(hi))]
    for b in design.breaks:
        dropped = [p for p in all_periods if p not in kept]
        if dropped:
            warnings.append(_warn(
                "series_break",
                f"Serien skifter metode fra {P.label(b['period'], kind)}: "
                f"{b.get('explanation', '')} Estimatet sammenligner ikke på tværs af bruddet; "
                f"perioderne {', '.join(P.label(p, kind) for p in dropped)} er udeladt.",
                f"The series changes method from {P.label(b['period'], kind)}: "
                f"{b.get('explanation_en', '')} The estimate never compares across the break; "
                f"the periods {', '.join(P.label(p, kind) for p in dropped)} are left out.",
                period=b["period"], left_out=dropped))
    return kept, warnings


@dataclass
class _Data:
    units: list[str]
    periods: list[str]
    y: np.ndarray  # observations
    unit_ix: np.ndarray
    period_ix: np.ndarray


def _observations(values: dict[str, dict[str, float]], units: list[str],
                  periods: list[str]) -> _Data:
    ys, ui, pi = [], [], []
    pindex = {p: i for i, p in enumerate(periods)}
    for i, u in enumerate(units):
        for p, v in values.get(u, {}).items():
            if p in pindex:
                ys.append(v)
                ui.append(i)
                pi.append(pindex[p])
    return _Data(units, periods, np.asarray(ys, float), np.asarray(ui, int),
                 np.asarray(pi, int))


def _fe_matrix(d: _Data) -> np.ndarray:
    """Constant, unit dummies and period dummies (first of each left out)."""
    n = len(d.y)
    u = np.zeros((n, max(len(d.units) - 1, 0)))
    rows = np.nonzero(d.unit_ix > 0)[0]
    u[rows, d.unit_ix[rows] - 1] = 1.0
    t = np.zeros((n, max(len(d.periods) - 1, 0)))
    rows = np.nonzero(d.period_ix > 0)[0]
    t[rows, d.period_ix[rows] - 1] = 1.0
    return np.hstack([np.ones((n, 1)), u, t])


def _fit(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """OLS by statsmodels: the reported estimates."""
    import statsmodels.api as sm

    return np.asarray(sm.OLS(y, x).fit(method="pinv").params)


class _Model:
    """The fixed-effects design of one sample of units, shared by every draw over it.

    The reported estimates are statsmodels OLS fits of the full design. The placebo draws
    change only the treatment columns, so they are fitted by the Frisch-Waugh-Lovell theorem:
    the outcome and the treatment columns are residualized on the fixed effects once per
    sample (an orthonormal basis of the fixed-effect columns), and each draw is a small
    least-squares fit of the residualized columns. It gives the same coefficients as the
    full OLS fit (tests/followup/test_evaluation.py checks it against statsmodels) at a
    fraction of the cost, which is what makes 1,000 draws on 98 x 15 cheap.
    """

    def __init__(self, d: _Data, kind: str):
        self.d = d
        self.kind = kind
        self.fe = _fe_matrix(d)
        u, s, _ = np.linalg.svd(self.fe, full_matrices=False)
        self.q = u[:, s > s[0] * 1e-10]
        self.ry = d.y - self.q @ (self.q.T @ d.y)

    def columns(self, timing: dict[int, Treatment]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Treatment dummy, dummies absorbing partly treated and ended observations (the same
        as leaving them out), and the relative time of every treated observation."""
        n = len(self.d.y)
        dvec = np.zeros(n)
        absorb = []
        rel = np.full(n, np.nan)
        for ui, t in timing.items():
            rows = np.nonzero(self.d.unit_ix == ui)[0]
            status = [_status(p, self.kind, t) for p in self.d.periods]
            start_ix = next((j for j, st in enumerate(status) if st != "pre"), None)
            for r in rows:
                st = status[self.d.period_ix[r]]
                if st == "post":
                    dvec[r] = 1.0
                elif st in ("partial", "after"):
                    col = np.zeros(n)
                    col[r] = 1.0
                    absorb.append(col)
                if st in ("pre", "post") and start_ix is not None:
                    rel[r] = self.d.period_ix[r] - start_ix
        a = np.column_stack(absorb) if absorb else np.zeros((n, 0))
        return dvec, a, rel

    def _fast(self, x: np.ndarray) -> np.ndarray:
        rx = x - self.q @ (self.q.T @ x)
        return np.asarray(np.linalg.lstsq(rx, self.ry, rcond=None)[0])

    def did(self, timing: dict[int, Treatment], fast: bool = True) -> float:
        dvec, a, _ = self.columns(timing)
        if not dvec.any():
            return math.nan
        x = np.hstack([dvec[:, None], a])
        if fast:
            return float(self._fast(x)[0])
        return float(_fit(self.d.y, np.hstack([x, self.fe]))[0])

    def event(self, timing: dict[int, Treatment], rels: list[int],
              fast: bool = True) -> np.ndarray:
        """Coefficients per relative period in ``rels`` (the reference -1 is not in it)."""
        _, a, rel = self.columns(timing)
        cols = np.column_stack([(rel == e).astype(float) for e in rels]) if rels else \
            np.zeros((len(self.d.y), 0))
        present = cols.any(axis=0)
        out = np.full(len(rels), np.nan)
        if not present.any():
            return out
        x = np.hstack([cols[:, present], a])
        beta = self._fast(x) if fast else _fit(self.d.y, np.hstack([x, self.fe]))
        out[present] = beta[: int(present.sum())]
        return out


def _draws(pool: list[int], k: int, draws: int, rng: np.random.Generator
           ) -> tuple[list[tuple[int, ...]], bool]:
    """Placebo assignments: every combination when there are at most ``draws``, else random."""
    if k == 0 or len(pool) < k:
        return [], True
    total = math.comb(len(pool), k)
    if total <= draws:
        return list(itertools.combinations(pool, k)), True
    out = []
    for _ in range(draws):
        out.append(tuple(int(x) for x in rng.choice(pool, size=k, replace=False)))
    return out, False


def _synthetic(values: dict[str, dict[str, float]], unit: str, donors: list[str],
               pre: list[str], post: list[str]) -> dict[str, Any] | None:
    import pandas as pd
    from pysyncon import Synth

    own = values.get(unit, {})
    if len(pre) < MIN_PRE or any(p not in own for p in pre) or not post:
        return None
    usable = [u for u in donors if all(p in values.get(u, {}) for p in pre + post)]
    if len(usable) < 2:
        return None
    z0 = pd.DataFrame({u: [values[u][p] for p in pre] for u in usable}, index=pre)
    z1 = pd.Series([own[p] for p in pre], index=pre, name=unit)
    synth = Synth()
    synth.fit(X0=z0, X1=z1, Z0=z0, Z1=z1, custom_V=np.ones(len(pre)))
    w = np.asarray(synth.W, float)
    allp = pre + post
    twin = {p: float(sum(w[i] * values[u][p] for i, u in enumerate(usable))) for p in allp}
    gaps = {p: own[p] - twin[p] for p in allp if p in own}
    post_gaps = [gaps[p] for p in post if p in gaps]
    return {
        "unit": int(unit) if unit.isdigit() else unit,
        "estimate": _num(float(np.mean(post_gaps))) if post_gaps else None,
        "pre_rmspe": _num(math.sqrt(float(np.mean([gaps[p] ** 2 for p in pre])))),
        "weights": {u: round(float(x), 4) for u, x in sorted(zip(usable, w, strict=True),
                                                              key=lambda t: -t[1]) if x >= 0.001},
        "series": [{"period": p, "treated": _num(own.get(p)), "synthetic": _num(twin[p]),
                    "gap": _num(gaps.get(p)), "post": p in post} for p in allp],
    }


def evaluate(values: dict[str, dict[str, float]], design: Design) -> dict[str, Any]:
    """The evaluation of CONTRACT.md (estimate, interval, p-value, pre-trend, synthetic …).

    BLAS runs single-threaded here: the matrices are small, and on a shared machine idle
    BLAS threads spinning cost up to fifty times the CPU time of the work itself."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _evaluate(values, design)


def _evaluate(values: dict[str, dict[str, float]], design: Design) -> dict[str, Any]:
    kind = design.period_kind
    treated = [u for u in design.treated if values.get(u)]
    missing_treated = [u for u in design.treated if not values.get(u)]
    comparison = [u for u in design.comparison if values.get(u) and u not in design.treated]
    all_periods = sorted({p for u in treated + comparison for p in values.get(u, {})},
                         key=P.order)
    result: dict[str, Any] = {
        "treated": list(design.treated), "comparison": comparison,
        "estimate": None, "ci_low": None, "ci_high": None, "p_value": None,
        "pre_trend": {"ok": False, "testable": False}, "n_units": 0, "n_periods": 0,
        "warnings": [], "event_study": [], "synthetic": [], "periods": [],
    }
    warnings: list[dict[str, Any]] = result["warnings"]
    if missing_treated:
        warnings.append(_warn(
            "missing_treated_data",
            f"Der er ingen tal for {', '.join(missing_treated)}; de indgår ikke.",
            f"There are no figures for {', '.join(missing_treated)}; they are left out.",
            units=missing_treated))
    if not treated or not comparison or not all_periods:
        warnings.append(_warn("no_data", "Der er ikke data nok til en sammenligning.",
                              "There is not enough data for a comparison."))
        return result
    win, wwarn = window(all_periods, Design(
        {u: design.treated[u] for u in treated}, comparison, kind, design.breaks))
    warnings += wwarn
    status = {p: {_status(p, kind, design.treated[u]) for u in treated} for p in win}
    pre = [p for p in win if status[p] == {"pre"}]
    post = [p for p in win if status[p] == {"post"}]
    partial = [p for p in win if "partial" in status[p]]
    after = [p for p in win if "after" in status[p]]
    result["periods"] = [{"period": p, "label": P.label(p, kind),
                          "status": "pre" if p in pre else "post" if p in post
                          else "after" if p in after and p not in partial else "partial"}
                         for p in win]
    units = treated + comparison
    d = _observations(values, units, win)
    result["n_units"] = len(units)
    result["n_periods"] = len(win)
    if partial:
        warnings.append(_warn(
            "partial_period",
            f"Perioden {', '.join(P.label(p, kind) for p in partial)} er kun delvist omfattet "
            "af frisættelsen og indgår ikke i estimatet.",
            f"The period {', '.join(P.label(p, kind) for p in partial)} is only partly "
            "covered by the freedom and is left out of the estimate.",
            severity="info", periods=partial))
    if after:
        warnings.append(_warn(
            "regime_ended",
            f"Ordningen var ophørt i {', '.join(P.label(p, kind) for p in after)}; de perioder "
            "indgår ikke.", f"The regime had ended in {', '.join(after)}; those periods are "
            "left out.", periods=after))
    n_pre = min(sum(1 for p in pre if p in values[u]) for u in treated)
    if n_pre < MIN_PRE:
        warnings.append(_warn(
            "too_few_pre_periods",
            f"Kun {n_pre} periode(r) før frisættelsen (i samme opgørelsesmetode). Med så få kan "
            "man ikke se, om de frisatte kommuner i forvejen udviklede sig anderledes.",
            f"Only {n_pre} period(s) before the freedom (in the same method). With so few, one "
            "cannot tell whether the freed municipalities were already on a different path.",
            pre_periods=n_pre))
    if not post:
        warnings.append(_warn(
            "no_post_periods", "Der er endnu ingen hele perioder efter frisættelsen.",
            "There is not yet any full period after the freedom."))
    covid = [p for p in win if P.span(p, kind)[0] < COVID[1] and P.span(p, kind)[1] > COVID[0]]
    if covid:
        warnings.append(_warn(
            "covid",
            f"COVID-19 påvirkede {', '.join(P.label(p, kind) for p in covid)} (nedlukning, "
            "aflyste prøver, fravær). Frisættelsen begyndte midt i pandemien, så en forskel kan "
            "skyldes, at kommunerne blev ramt forskelligt.",
            f"COVID-19 affected {', '.join(P.label(p, kind) for p in covid)} (lockdowns, "
            "cancelled exams, absence). The freedom began in the middle of the pandemic, so a "
            "difference may come from municipalities being hit differently.", periods=covid))
    first, last = P.span(win[0], kind)[0], P.span(win[-1], kind)[1]
    for r in design.reforms:
        if r.area == design.area and r.start < last and (r.end is None or r.end > first):
            warnings.append(_warn("parallel_reform", r.da, r.en, reform=r.key, source=r.source))
    for u in treated:
        if u in design.small_units:
            da, _, en = design.small_units[u].partition("|")
            warnings.append(_warn("small_unit", da, en, unit=u))
    if len(comparison) < 10:
        warnings.append(_warn(
            "few_comparison_units",
            f"Kun {len(comparison)} sammenligningskommuner; placebofordelingen er grov.",
            f"Only {len(comparison)} comparison municipalities; the placebo distribution is "
            "coarse.", n=len(comparison)))
    if n_pre == 0 or not post:
        return result

    model = _Model(d, kind)
    timing = {units.index(u): design.treated[u] for u in treated}
    est = model.did(timing, fast=False)
    result["estimate"] = _num(est)
    # event study: relative periods present among the treated (reference: -1)
    tr_rel = model.columns(timing)[2]
    rels = sorted({int(x) for x in tr_rel[~np.isnan(tr_rel)]} - {-1})
    pre_rels = [e for e in rels if e < -1]
    coef = model.event(timing, rels, fast=False)
    # placebo: the comparison units alone, the treatment given to k of them
    cd = _observations(values, comparison, win)
    cmodel = _Model(cd, kind)
    order = [design.treated[u] for u in treated]
    rng = np.random.default_rng(design.seed)
    assignments, exact = _draws(list(range(len(comparison))), len(treated), design.draws, rng)
    placebo, pev = [], []
    for a in assignments:
        t = {ui: order[i] for i, ui in enumerate(a)}
        placebo.append(cmodel.did(t))
        pev.append(cmodel.event(t, rels))
    pl = np.asarray(placebo, float)
    ok = ~np.isnan(pl)
    pl = pl[ok]
    pe = np.asarray(pev, float)[ok] if len(pev) else np.zeros((0, len(rels)))
    result["method_draws"] = {"draws": int(len(pl)), "exact": exact}
    if len(pl):
        q_lo, q_hi = np.quantile(pl, [ALPHA / 2, 1 - ALPHA / 2])
        result["ci_low"] = _num(est - q_hi)
        result["ci_high"] = _num(est - q_lo)
        result["p_value"] = _num((1 + np.sum(np.abs(pl) >= abs(est) - 1e-12)) / (1 + len(pl)))
    if len(pl) < 40:
        warnings.append(_warn(
            "few_placebo_draws",
            f"Kun {len(pl)} placebotrækninger er mulige; intervallet er groft, og den mindste "
            "mulige p-værdi er " + f"{1 / (1 + len(pl)):.3f}.".replace(".", ","),
            f"Only {len(pl)} placebo draws are possible; the interval is coarse and the "
            f"smallest possible p-value is {1 / (1 + len(pl)):.3f}.", draws=int(len(pl))))
    # event study with placebo intervals, and the pre-trend test
    for j, e in enumerate(rels):
        col = pe[:, j] if len(pe) else np.zeros(0)
        col = col[~np.isnan(col)]
        lo = hi = None
        if len(col) and not math.isnan(coef[j]):
            ql, qh = np.quantile(col, [ALPHA / 2, 1 - ALPHA / 2])
            lo, hi = coef[j] - qh, coef[j] - ql
        result["event_study"].append({"relative": e, "period": _period_at(win, tr_rel, d, e),
                                      "estimate": _num(coef[j]), "ci_low": _num(lo),
                                      "ci_high": _num(hi)})
    result["event_study"].append({"relative": -1, "period": _period_at(win, tr_rel, d, -1),
                                  "estimate": 0.0, "ci_low": None, "ci_high": None,
                                  "reference": True})
    result["event_study"].sort(key=lambda x: x["relative"])
    if pre_rels and len(pe):
        idx = [rels.index(e) for e in pre_rels]
        stat = float(np.nansum(coef[idx] ** 2))
        pstat = np.nansum(pe[:, idx] ** 2, axis=1)
        p_pre = float((1 + np.sum(pstat >= stat - 1e-12)) / (1 + len(pstat)))
        result["pre_trend"] = {"ok": p_pre >= ALPHA, "testable": True, "p_value": _num(p_pre),
                               "statistic": "sum of squared pre-period event-study coefficients",
                               "pre_periods": len(pre_rels) + 1}
        if p_pre < ALPHA:
            warnings.append(_warn(
                "pre_trend",
                "De frisatte kommuner udviklede sig anderledes end sammenligningsgruppen allerede "
                f"før frisættelsen (placebotest, p = {p_pre:.3f}".replace(".", ",") + "). "
                "Forskellen efter kan ikke tilskrives frisættelsen.",
                f"The freed municipalities already moved differently from the comparison before "
                f"the freedom (placebo test, p = {p_pre:.3f}). The difference after cannot be "
                "put down to the freedom.", p_value=_num(p_pre)))
    else:
        result["pre_trend"] = {"ok": False, "testable": False,
                               "reason": "too_few_pre_periods", "pre_periods": n_pre}
    for u in treated:
        sc = _synthetic(values, u, comparison, [p for p in pre if p in values[u]], post)
        if sc is not None:
            result["synthetic"].append(sc)
    short = len(pre)
    if result["synthetic"] and short < 2 * MIN_PRE:
        warnings.append(_warn(
            "synthetic_short_pre_period",
            f"Den syntetiske tvilling bygger på kun {short} år før frisættelsen. Med mange "
            "mulige kommuner kan den ramme årene før præcist uden at være en god tvilling; "
            "læs den som en illustration, ikke som et selvstændigt bevis.",
            f"The synthetic twin rests on only {short} years before the freedom. With many "
            "candidate municipalities it can match those years exactly without being a good "
            "twin; read it as an illustration, not as separate evidence.", pre_periods=short))
    return result


def _period_at(win: list[str], rel: np.ndarray, d: _Data, e: int) -> str | None:
    hits = d.period_ix[rel == e]
    return win[int(hits[0])] if len(hits) else None


def series(values: dict[str, dict[str, float]], treated: list[str], comparison: list[str],
           all_periods: list[str]) -> list[dict[str, Any]]:
    """Mean of the treated and of the comparison per period, and each treated unit's value."""
    out = []
    for p in all_periods:
        t = [values[u][p] for u in treated if p in values.get(u, {})]
        c = [values[u][p] for u in comparison if p in values.get(u, {})]
        out.append({"period": p, "treated_mean": _num(float(np.mean(t))) if t else None,
                    "comparison_mean": _num(float(np.mean(c))) if c else None,
                    "n_comparison": len(c),
                    "units": {u: _num(values[u][p]) for u in treated if p in values.get(u, {})}})
    return out
