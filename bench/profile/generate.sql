-- The benchmark table: ROWS rows, 8 columns (a sequential id, a 5-value string, an integer and two floats
-- with missing values, a date, a small integer, a Y/N flag). Values come from hash(i, k), so every run
-- writes the same file. bench/profile-vs-pandas.sh replaces ROWS and OUT.
COPY (
  SELECT i + 1 AS id,
         (['north', 'south', 'east', 'west', 'central'])[1 + CAST(hash(i, 1) % 5 AS INTEGER)] AS region,
         CASE WHEN hash(i, 2) % 33 = 0 THEN NULL ELSE CAST(hash(i, 3) % 100 AS INTEGER) END AS visits,
         round(50 + 15 * sqrt(-2 * ln((hash(i, 4) % 1000000 + 0.5) / 1e6)) * cos(2 * pi() * (hash(i, 5) % 1000000) / 1e6), 1) AS score,
         CASE WHEN hash(i, 6) % 100 = 0 THEN NULL
              ELSE round(exp(2 + 0.02 * (50 + 15 * sqrt(-2 * ln((hash(i, 4) % 1000000 + 0.5) / 1e6)) * cos(2 * pi() * (hash(i, 5) % 1000000) / 1e6))
                             + 0.5 * sqrt(-2 * ln((hash(i, 7) % 1000000 + 0.5) / 1e6)) * cos(2 * pi() * (hash(i, 11) % 1000000) / 1e6)), 2) END AS price,
         DATE '2016-01-01' + CAST(hash(i, 8) % 3650 AS INTEGER) AS day,
         CAST(1 + hash(i, 9) % 50 AS INTEGER) AS qty,
         CASE WHEN hash(i, 10) % 4 = 0 THEN 'Y' ELSE 'N' END AS member
  FROM range(ROWS) t(i)
) TO 'OUT' (HEADER, DELIMITER ',');
