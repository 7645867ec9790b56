-- Exact division for the ratio figures (docs/warehouse.md "Ratios").
-- DuckDB divides DECIMALs as DOUBLE; the report rounds the exact quotient half away from zero. These
-- macros divide the amounts' unscaled integers (HUGEINT, 38 digits) instead, so ties round as the
-- report rounds them. BigQuery and Spark: see docs/warehouse.md for their one-line equivalents.

-- An amount as its integer count of 10^-12 (every amount column is DECIMAL(38,12)).
CREATE OR REPLACE MACRO ml_units(x) AS CAST(CAST(x AS DECIMAL(38, 12)) * 1000000000000 AS HUGEINT);

-- n / d rounded half away from zero to 2 places; NULL when d is 0.
CREATE OR REPLACE MACRO ml_div2(n, d) AS
  CASE WHEN d = 0 THEN NULL ELSE
    CAST(sign(ml_units(n)) * sign(ml_units(d))
         * ((2 * 100 * abs(ml_units(n)) + abs(ml_units(d))) // (2 * abs(ml_units(d))))
         AS DECIMAL(38, 0)) * 0.01
  END;

-- n / d rounded half away from zero to a whole number; NULL when d is 0.
CREATE OR REPLACE MACRO ml_div0(n, d) AS
  CASE WHEN d = 0 THEN NULL ELSE
    CAST(sign(ml_units(n)) * sign(ml_units(d))
         * ((2 * abs(ml_units(n)) + abs(ml_units(d))) // (2 * abs(ml_units(d))))
         AS DECIMAL(38, 0))
  END;

-- Percent points: 100 × n / d to 2 places.
CREATE OR REPLACE MACRO ml_pct(n, d) AS ml_div2(100 * CAST(n AS DECIMAL(38, 12)), d);

-- An amount in the currency's minor units (2, or 0 for VND, IDR, JPY…), half away from zero.
CREATE OR REPLACE MACRO ml_money(x, minor_units) AS
  CASE WHEN minor_units = 0 THEN CAST(round(x, 0) AS DECIMAL(38, 2)) ELSE CAST(round(x, 2) AS DECIMAL(38, 2)) END;

-- A money quotient (aov, cost per order) in the currency's minor units.
CREATE OR REPLACE MACRO ml_money_div(n, d, minor_units) AS
  CASE WHEN minor_units = 0 THEN CAST(ml_div0(n, d) AS DECIMAL(38, 2)) ELSE ml_div2(n, d) END;
