-- Margin Lab warehouse export: the tables as DuckDB views (docs/warehouse.md).
-- Run from the export's directory, or first: SET file_search_path = '/path/to/export';
-- Partition values (shop, month) stay text: hive_types_autocast = false (a shop named 2026 stays '2026').
CREATE OR REPLACE VIEW ml_lines AS
  SELECT * FROM read_parquet('lines/*/*/*.parquet', hive_partitioning = true, hive_types_autocast = false);
CREATE OR REPLACE VIEW ml_creator_lines AS
  SELECT * FROM read_parquet('creator_lines/*/*/*.parquet', hive_partitioning = true, hive_types_autocast = false);
CREATE OR REPLACE VIEW ml_daily AS
  SELECT * FROM read_parquet('daily/*/*/*.parquet', hive_partitioning = true, hive_types_autocast = false);
CREATE OR REPLACE VIEW ml_ads AS
  SELECT * FROM read_parquet('ads/*/*/*.parquet', hive_partitioning = true, hive_types_autocast = false);
CREATE OR REPLACE VIEW ml_coverage AS
  SELECT * FROM read_parquet('coverage/*/*.parquet', hive_partitioning = true, hive_types_autocast = false);
CREATE OR REPLACE VIEW ml_files AS
  SELECT * FROM read_parquet('files/*/*.parquet', hive_partitioning = true, hive_types_autocast = false);
CREATE OR REPLACE VIEW ml_shops AS
  SELECT * FROM read_parquet('shops/*/*.parquet', hive_partitioning = true, hive_types_autocast = false);
