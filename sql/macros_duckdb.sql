-- Exact division for the ratio figures (docs/warehouse.md "Ratios").
-- DuckDB divides DECIMALs as DOUBLE; the report rounds the exact quotient half away from zero. These
-- macros divide the amounts' unscaled integers (HUGEINT) instead, so ties round as the report rounds them.
-- Range: numerators up to 8 × 10^15 for percent points and 8 × 10^17 for other ratios (scaled by 10^18
-- and by 2 × 10^4 or 2 × 10^2, within HUGEINT's 1.7 × 10^38); a larger one is an Out of Range error, not
-- a wrong figure. BigQuery and Spark: see docs/warehouse.md for their equivalents.

-- An amount as its integer count of 10^-18 (every amount column is DECIMAL(38,18)). The whole part and the
-- fraction are scaled apart: DuckDB keeps a DECIMAL's scale in a product, so x × 10^18 would overflow.
CREATE OR REPLACE MACRO ml_units(x) AS
  CAST(trunc(CAST(x AS DECIMAL(38, 18))) AS HUGEINT) * CAST(1000000000000000000 AS HUGEINT)
  + CAST((CAST(x AS DECIMAL(38, 18)) - trunc(CAST(x AS DECIMAL(38, 18)))) * 1000000000000000000 AS HUGEINT);

-- n / d × scale, rounded half away from zero to a whole number (n, d: HUGEINT units; d ≠ 0).
CREATE OR REPLACE MACRO ml_round_div(n, d, scale) AS
  sign(n) * sign(d) * ((2 * scale * abs(n) + abs(d)) // (2 * abs(d)));

-- n / d rounded half away from zero to 2 places; NULL when d is 0.
CREATE OR REPLACE MACRO ml_div2(n, d) AS
  CASE WHEN d = 0 THEN NULL ELSE
    CAST(ml_round_div(ml_units(n), ml_units(d), 100) AS DECIMAL(38, 0)) * 0.01
  END;

-- n / d rounded half away from zero to a whole number; NULL when d is 0.
CREATE OR REPLACE MACRO ml_div0(n, d) AS
  CASE WHEN d = 0 THEN NULL ELSE
    CAST(ml_round_div(ml_units(n), ml_units(d), 1) AS DECIMAL(38, 0))
  END;

-- Percent points: 100 × n / d to 2 places.
CREATE OR REPLACE MACRO ml_pct(n, d) AS
  CASE WHEN d = 0 THEN NULL ELSE
    CAST(ml_round_div(ml_units(n), ml_units(d), 10000) AS DECIMAL(38, 0)) * 0.01
  END;

-- An amount in the currency's minor units (2, or 0 for VND, IDR, JPY…), half away from zero.
CREATE OR REPLACE MACRO ml_money(x, minor_units) AS
  CASE WHEN minor_units = 0 THEN CAST(round(x, 0) AS DECIMAL(38, 2)) ELSE CAST(round(x, 2) AS DECIMAL(38, 2)) END;

-- A money quotient (aov, cost per order) in the currency's minor units.
CREATE OR REPLACE MACRO ml_money_div(n, d, minor_units) AS
  CASE WHEN minor_units = 0 THEN CAST(ml_div0(n, d) AS DECIMAL(38, 2)) ELSE ml_div2(n, d) END;
