{# Athena DDL is Hive syntax (backtick identifiers), so the table is named directly rather than through source(). #}
CREATE DATABASE IF NOT EXISTS historydb;

CREATE EXTERNAL TABLE IF NOT EXISTS historydb.events_table (
  `date` string,
  `description` string,
  `lang` string,
  `category1` string,
  `granularity` string)
PARTITIONED BY (
  `year` int,
  `month` int,
  `day` int)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES (
  'separatorChar' = ',',
  'quoteChar' = '\"',
  'escapeChar' = '\\' )
LOCATION 's3://{{ params.bucket }}/data/';
