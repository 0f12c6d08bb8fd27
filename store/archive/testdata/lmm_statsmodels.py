"""Reference fit for store/archive's FitMixed: statsmodels' MixedLM.

usage: python3 lmm_statsmodels.py CSV Y GROUP reml|ml [FIXED ...]

Reads the tidy CSV with pandas, fits the random-intercept model
Y ~ FIXED... with groups=df[GROUP] (missing rows dropped, as the formula
interface does), and prints one JSON object: fe_params and bse_fe by
term name, cov_re (the group variance), bse_re (its Std.Err. in the
summary), scale, llf, converged, nobs.
"""
import json
import sys
import warnings

import pandas as pd
import statsmodels.formula.api as smf


def main(argv):
    path, y, group, method, fixed = argv[1], argv[2], argv[3], argv[4], argv[5:]
    df = pd.read_csv(path)
    df = df.dropna(subset=[y, group] + [f[2:-1] if f.startswith("C(") else f for f in fixed])
    rhs = " + ".join(f if f.isidentifier() or f.startswith("C(") else f"Q('{f}')" for f in fixed) or "1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = smf.mixedlm(f"{y} ~ {rhs}", df, groups=df[group]).fit(reml=method == "reml")
    print(json.dumps({
        "fe_params": {k: float(v) for k, v in res.fe_params.items()},
        "bse_fe": {k: float(v) for k, v in res.bse_fe.items()},
        "cov_re": float(res.cov_re.iloc[0, 0]),
        "bse_re": float(res.bse_re.iloc[0]),
        "scale": float(res.scale),
        "llf": float(res.llf),
        "converged": bool(res.converged),
        "nobs": int(res.nobs),
    }))


if __name__ == "__main__":
    main(sys.argv)
