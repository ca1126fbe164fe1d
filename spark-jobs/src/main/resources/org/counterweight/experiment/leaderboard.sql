-- Leaderboard of one run: the values of one overall metric in every cell (dataset x method x seed x
-- fold). Parameters: :run_id, :metric. Summaries come from org.counterweight.evaluate.aggregate.Aggregation,
-- as in the report.
SELECT dataset, method, seed, fold, metric, value
FROM metrics
WHERE run_id = :run_id
  AND metric = :metric
  AND class IS NULL
ORDER BY dataset, method, seed, fold
