-- Margin Lab warehouse export: the report's figures from the exported lines (docs/warehouse.md).
-- Needs the views of load_duckdb.sql (ml_lines, ml_creator_lines, ml_shops) and, on DuckDB, the macros
-- of macros_duckdb.sql (exact ratios and the currency's rounding). Everything else is portable SQL:
-- GROUPING SETS, COUNT(DISTINCT CASE …), SUM over DECIMAL(38,18).
--
-- ml_sums: the exact sums per shop and breakdown (total, sku, day, product_group, channel), as the
-- report sums them (docs/metrics.md §2–§5): a group's figures are the sums of its lines'. Orders are
-- distinct Order IDs of sold or returned lines. The channel split and the total's affiliate share
-- count only days both the Orders and the Affiliate exports cover (in_channel_split, docs/metrics.md §9).
CREATE OR REPLACE VIEW ml_sums AS
SELECT
  shop,
  CASE WHEN GROUPING(sku_id) = 0 THEN 'sku'
       WHEN GROUPING(order_date) = 0 THEN 'day'
       WHEN GROUPING(product_group) = 0 THEN 'product_group'
       ELSE 'total' END AS breakdown,
  CASE WHEN GROUPING(sku_id) = 0 THEN sku_id
       WHEN GROUPING(order_date) = 0 THEN CAST(order_date AS VARCHAR)
       WHEN GROUPING(product_group) = 0 THEN product_group
       ELSE '' END AS key,
  SUM(gmv) AS gmv,
  SUM(cancelled_sales) AS cancelled_sales,
  SUM(refunds) AS refunds,
  SUM(net_sales) AS net_sales,
  SUM(output_vat) AS output_vat,
  SUM(net_revenue) AS net_revenue,
  SUM(cogs) AS cogs,
  SUM(gross_profit) AS gross_profit,
  SUM(platform_fees) AS platform_fees,
  SUM(fulfillment) AS fulfillment,
  SUM(shipping) AS shipping,
  SUM(returns_cost) AS returns_cost,
  SUM(cm1) AS cm1,
  SUM(standard_commission) AS standard_commission,
  SUM(shop_ads_commission) AS shop_ads_commission,
  SUM(creator_bonus) AS creator_bonus,
  SUM(affiliate_commission) AS affiliate_commission,
  SUM(ad_spend) AS ad_spend,
  SUM(ad_spend_attributed) AS ad_spend_attributed,
  SUM(ad_spend_spread) AS ad_spend_spread,
  SUM(sample_cost) AS sample_cost,
  SUM(other_marketing) AS other_marketing,
  SUM(cm2) AS cm2,
  SUM(overhead) AS overhead,
  SUM(net_profit) AS net_profit,
  SUM(estimated_settlement) AS estimated_settlement,
  SUM(modelled_fees) AS modelled_fees,
  SUM(actual_fees) AS actual_fees,
  SUM(modelled_fees_of_matched) AS modelled_fees_of_matched,
  COUNT(DISTINCT CASE WHEN counts_order THEN order_id END) AS orders,
  COUNT(DISTINCT CASE WHEN affiliated THEN order_id END) AS affiliate_orders,
  SUM(units_sold) AS units_sold,
  SUM(units_returned) AS units_returned,
  SUM(sample_units) AS sample_units,
  SUM(units_without_cost) AS units_without_cost,
  SUM(CASE WHEN fees_from_finance THEN 1 ELSE 0 END) AS lines_with_actual_fees,
  COUNT(*) AS lines
FROM ml_lines
GROUP BY GROUPING SETS ((shop), (shop, sku_id), (shop, order_date), (shop, product_group))
UNION ALL
SELECT shop, 'channel' AS breakdown, channel AS key,
  SUM(gmv) AS gmv,
  SUM(cancelled_sales) AS cancelled_sales,
  SUM(refunds) AS refunds,
  SUM(net_sales) AS net_sales,
  SUM(output_vat) AS output_vat,
  SUM(net_revenue) AS net_revenue,
  SUM(cogs) AS cogs,
  SUM(gross_profit) AS gross_profit,
  SUM(platform_fees) AS platform_fees,
  SUM(fulfillment) AS fulfillment,
  SUM(shipping) AS shipping,
  SUM(returns_cost) AS returns_cost,
  SUM(cm1) AS cm1,
  SUM(standard_commission) AS standard_commission,
  SUM(shop_ads_commission) AS shop_ads_commission,
  SUM(creator_bonus) AS creator_bonus,
  SUM(affiliate_commission) AS affiliate_commission,
  SUM(ad_spend) AS ad_spend,
  SUM(ad_spend_attributed) AS ad_spend_attributed,
  SUM(ad_spend_spread) AS ad_spend_spread,
  SUM(sample_cost) AS sample_cost,
  SUM(other_marketing) AS other_marketing,
  SUM(cm2) AS cm2,
  SUM(overhead) AS overhead,
  SUM(net_profit) AS net_profit,
  SUM(estimated_settlement) AS estimated_settlement,
  SUM(modelled_fees) AS modelled_fees,
  SUM(actual_fees) AS actual_fees,
  SUM(modelled_fees_of_matched) AS modelled_fees_of_matched,
  COUNT(DISTINCT CASE WHEN counts_order THEN order_id END) AS orders,
  COUNT(DISTINCT CASE WHEN affiliated THEN order_id END) AS affiliate_orders,
  SUM(units_sold) AS units_sold,
  SUM(units_returned) AS units_returned,
  SUM(sample_units) AS sample_units,
  SUM(units_without_cost) AS units_without_cost,
  SUM(CASE WHEN fees_from_finance THEN 1 ELSE 0 END) AS lines_with_actual_fees,
  COUNT(*) AS lines
FROM ml_lines
WHERE in_channel_split
GROUP BY shop, channel
UNION ALL
SELECT shop, 'affiliate_share_base' AS breakdown, '' AS key,
  SUM(gmv) AS gmv,
  SUM(cancelled_sales) AS cancelled_sales,
  SUM(refunds) AS refunds,
  SUM(net_sales) AS net_sales,
  SUM(output_vat) AS output_vat,
  SUM(net_revenue) AS net_revenue,
  SUM(cogs) AS cogs,
  SUM(gross_profit) AS gross_profit,
  SUM(platform_fees) AS platform_fees,
  SUM(fulfillment) AS fulfillment,
  SUM(shipping) AS shipping,
  SUM(returns_cost) AS returns_cost,
  SUM(cm1) AS cm1,
  SUM(standard_commission) AS standard_commission,
  SUM(shop_ads_commission) AS shop_ads_commission,
  SUM(creator_bonus) AS creator_bonus,
  SUM(affiliate_commission) AS affiliate_commission,
  SUM(ad_spend) AS ad_spend,
  SUM(ad_spend_attributed) AS ad_spend_attributed,
  SUM(ad_spend_spread) AS ad_spend_spread,
  SUM(sample_cost) AS sample_cost,
  SUM(other_marketing) AS other_marketing,
  SUM(cm2) AS cm2,
  SUM(overhead) AS overhead,
  SUM(net_profit) AS net_profit,
  SUM(estimated_settlement) AS estimated_settlement,
  SUM(modelled_fees) AS modelled_fees,
  SUM(actual_fees) AS actual_fees,
  SUM(modelled_fees_of_matched) AS modelled_fees_of_matched,
  COUNT(DISTINCT CASE WHEN counts_order THEN order_id END) AS orders,
  COUNT(DISTINCT CASE WHEN affiliated THEN order_id END) AS affiliate_orders,
  SUM(units_sold) AS units_sold,
  SUM(units_returned) AS units_returned,
  SUM(sample_units) AS sample_units,
  SUM(units_without_cost) AS units_without_cost,
  SUM(CASE WHEN fees_from_finance THEN 1 ELSE 0 END) AS lines_with_actual_fees,
  COUNT(*) AS lines
FROM ml_lines
WHERE in_channel_split
GROUP BY shop
UNION ALL
-- A shop with no order line (a finance or ads export alone) still has totals: all zero, as the report's.
SELECT sh.shop, 'total' AS breakdown, '' AS key,
  CAST(0 AS DECIMAL(38, 18)) AS gmv,
  CAST(0 AS DECIMAL(38, 18)) AS cancelled_sales,
  CAST(0 AS DECIMAL(38, 18)) AS refunds,
  CAST(0 AS DECIMAL(38, 18)) AS net_sales,
  CAST(0 AS DECIMAL(38, 18)) AS output_vat,
  CAST(0 AS DECIMAL(38, 18)) AS net_revenue,
  CAST(0 AS DECIMAL(38, 18)) AS cogs,
  CAST(0 AS DECIMAL(38, 18)) AS gross_profit,
  CAST(0 AS DECIMAL(38, 18)) AS platform_fees,
  CAST(0 AS DECIMAL(38, 18)) AS fulfillment,
  CAST(0 AS DECIMAL(38, 18)) AS shipping,
  CAST(0 AS DECIMAL(38, 18)) AS returns_cost,
  CAST(0 AS DECIMAL(38, 18)) AS cm1,
  CAST(0 AS DECIMAL(38, 18)) AS standard_commission,
  CAST(0 AS DECIMAL(38, 18)) AS shop_ads_commission,
  CAST(0 AS DECIMAL(38, 18)) AS creator_bonus,
  CAST(0 AS DECIMAL(38, 18)) AS affiliate_commission,
  CAST(0 AS DECIMAL(38, 18)) AS ad_spend,
  CAST(0 AS DECIMAL(38, 18)) AS ad_spend_attributed,
  CAST(0 AS DECIMAL(38, 18)) AS ad_spend_spread,
  CAST(0 AS DECIMAL(38, 18)) AS sample_cost,
  CAST(0 AS DECIMAL(38, 18)) AS other_marketing,
  CAST(0 AS DECIMAL(38, 18)) AS cm2,
  CAST(0 AS DECIMAL(38, 18)) AS overhead,
  CAST(0 AS DECIMAL(38, 18)) AS net_profit,
  CAST(0 AS DECIMAL(38, 18)) AS estimated_settlement,
  CAST(0 AS DECIMAL(38, 18)) AS modelled_fees,
  CAST(0 AS DECIMAL(38, 18)) AS actual_fees,
  CAST(0 AS DECIMAL(38, 18)) AS modelled_fees_of_matched,
  CAST(0 AS BIGINT) AS orders,
  CAST(0 AS BIGINT) AS affiliate_orders,
  CAST(0 AS BIGINT) AS units_sold,
  CAST(0 AS BIGINT) AS units_returned,
  CAST(0 AS BIGINT) AS sample_units,
  CAST(0 AS BIGINT) AS units_without_cost,
  CAST(0 AS BIGINT) AS lines_with_actual_fees,
  CAST(0 AS BIGINT) AS lines
FROM ml_shops sh
WHERE NOT EXISTS (SELECT 1 FROM ml_lines l WHERE l.shop = sh.shop);

-- ml_figures: every figure of the report's totals, skus, days, product_groups and channels, rounded
-- as the report shows them (money to the currency's minor unit, ratios and percentages to 2 places,
-- half away from zero). Not here: repeat_purchase_rate (buyer IDs never leave the page or the CLI's
-- memory, so the export has none).
CREATE OR REPLACE VIEW ml_figures AS
SELECT
  s.shop,
  s.breakdown,
  s.key,
  ml_money(s.gmv, sh.minor_units) AS gmv,
  ml_money(s.cancelled_sales, sh.minor_units) AS cancelled_sales,
  ml_money(s.refunds, sh.minor_units) AS refunds,
  ml_money(s.net_sales, sh.minor_units) AS net_sales,
  ml_money(s.output_vat, sh.minor_units) AS output_vat,
  ml_money(s.net_revenue, sh.minor_units) AS net_revenue,
  ml_money(s.cogs, sh.minor_units) AS cogs,
  ml_money(s.gross_profit, sh.minor_units) AS gross_profit,
  ml_money(s.platform_fees, sh.minor_units) AS platform_fees,
  ml_money(s.fulfillment, sh.minor_units) AS fulfillment,
  ml_money(s.shipping, sh.minor_units) AS shipping,
  ml_money(s.returns_cost, sh.minor_units) AS returns_cost,
  ml_money(s.cm1, sh.minor_units) AS cm1,
  ml_money(s.standard_commission, sh.minor_units) AS standard_commission,
  ml_money(s.shop_ads_commission, sh.minor_units) AS shop_ads_commission,
  ml_money(s.creator_bonus, sh.minor_units) AS creator_bonus,
  ml_money(s.affiliate_commission, sh.minor_units) AS affiliate_commission,
  ml_money(s.ad_spend, sh.minor_units) AS ad_spend,
  ml_money(s.ad_spend_attributed, sh.minor_units) AS ad_spend_attributed,
  ml_money(s.ad_spend_spread, sh.minor_units) AS ad_spend_spread,
  ml_money(s.sample_cost, sh.minor_units) AS sample_cost,
  ml_money(s.other_marketing, sh.minor_units) AS other_marketing,
  ml_money(s.cm2, sh.minor_units) AS cm2,
  ml_money(s.overhead, sh.minor_units) AS overhead,
  ml_money(s.net_profit, sh.minor_units) AS net_profit,
  ml_money(s.estimated_settlement, sh.minor_units) AS estimated_settlement,
  ml_money(s.modelled_fees, sh.minor_units) AS modelled_fees,
  ml_money(s.actual_fees, sh.minor_units) AS actual_fees,
  ml_money(s.actual_fees - s.modelled_fees_of_matched, sh.minor_units) AS fees_difference,
  ml_pct(s.gross_profit, s.net_revenue) AS gross_margin_pct,
  ml_pct(s.cm1, s.net_revenue) AS cm1_pct,
  ml_pct(s.cm2, s.net_revenue) AS cm2_pct,
  ml_pct(s.net_profit, s.net_revenue) AS net_margin_pct,
  s.orders,
  s.units_sold,
  s.units_returned,
  s.sample_units,
  ml_money_div(s.net_sales, s.orders, sh.minor_units) AS aov,
  ml_pct(s.units_returned, s.units_sold + s.units_returned) AS return_rate,
  ml_pct(s.cancelled_sales, s.gmv) AS cancel_rate,
  CASE WHEN s.breakdown = 'total'
       THEN ml_pct(COALESCE(b.affiliate_orders, 0), COALESCE(b.orders, 0))
       ELSE ml_pct(s.affiliate_orders, s.orders) END AS affiliate_share,
  ml_money_div(s.ad_spend + s.affiliate_commission, s.orders, sh.minor_units) AS blended_cpo,
  ml_money_div(s.ad_spend, s.orders - s.affiliate_orders, sh.minor_units) AS paid_cpo,
  CASE WHEN s.ad_spend > 0 THEN ml_div2(s.net_sales, s.ad_spend) END AS blended_roas,
  CASE WHEN s.cm1 > 0 THEN ml_div2(s.net_revenue, s.cm1) END AS break_even_roas,
  s.lines_with_actual_fees,
  s.units_without_cost > 0 AS cost_missing,
  s.lines
FROM ml_sums s
JOIN ml_shops sh ON sh.shop = s.shop
LEFT JOIN ml_sums b ON b.shop = s.shop AND b.breakdown = 'affiliate_share_base'
WHERE s.breakdown <> 'affiliate_share_base';

-- ml_creators: the report's creators (docs/metrics.md §5): each affiliate row's part (a line's sales
-- go to its first row's creator; another creator's row on the line brings its commission; a row
-- whose line is not loaded counts on its commission base), on days the Orders exports cover.
CREATE OR REPLACE VIEW ml_creators AS
SELECT
  c.shop,
  c.creator,
  COUNT(DISTINCT CASE WHEN c.counts_order THEN c.order_id END) AS orders,
  SUM(c.units_sold) AS units,
  ml_money(SUM(c.gmv) - SUM(c.cancelled_sales), MAX(sh.minor_units)) AS gross_sales,
  ml_money(SUM(c.refunds), MAX(sh.minor_units)) AS refunds,
  ml_pct(SUM(c.units_returned), SUM(c.units_sold) + SUM(c.units_returned)) AS return_rate,
  ml_money(SUM(c.net_revenue), MAX(sh.minor_units)) AS net_revenue,
  ml_money(SUM(c.affiliate_commission), MAX(sh.minor_units)) AS commission,
  ml_money(SUM(c.standard_commission), MAX(sh.minor_units)) AS standard_commission,
  ml_money(SUM(c.shop_ads_commission), MAX(sh.minor_units)) AS shop_ads_commission,
  ml_money(SUM(c.creator_bonus), MAX(sh.minor_units)) AS creator_bonus,
  ml_money(SUM(c.net_revenue) - SUM(c.affiliate_commission), MAX(sh.minor_units)) AS net_after_commission,
  CASE WHEN SUM(c.affiliate_commission) <> 0
       THEN ml_div2(SUM(c.net_revenue), SUM(c.affiliate_commission)) END AS efficiency,
  ml_money(SUM(c.cm1) - SUM(c.affiliate_commission), MAX(sh.minor_units)) AS cm,
  SUM(c.unmatched_rows) AS unmatched_rows
FROM ml_creator_lines c
JOIN ml_shops sh ON sh.shop = c.shop
WHERE c.in_creator_figures
GROUP BY c.shop, c.creator;

-- ml_creators_daily: each creator's figures per day (the creators' table of a BI dashboard). Orders
-- are distinct per day; a creator's orders over several days are ml_creators' count, not this one's sum.
CREATE OR REPLACE VIEW ml_creators_daily AS
SELECT
  c.shop,
  c.creator,
  c.day,
  COUNT(DISTINCT CASE WHEN c.counts_order THEN c.order_id END) AS orders,
  SUM(c.units_sold) AS units,
  SUM(c.gmv) - SUM(c.cancelled_sales) AS gross_sales,
  SUM(c.refunds) AS refunds,
  SUM(c.net_revenue) AS net_revenue,
  SUM(c.affiliate_commission) AS commission,
  SUM(c.cm1) - SUM(c.affiliate_commission) AS cm
FROM ml_creator_lines c
WHERE c.in_creator_figures
GROUP BY c.shop, c.creator, c.day;
