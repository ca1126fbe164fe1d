-- Leaderboard of one run: every (dataset, method) with the values of one overall metric across
-- seeds and folds. Parameters: :run_id, :metric. Mean and Student-t interval are computed from
-- the collected values (org.counterweight.evaluate.stats.Summary).
SELECT dataset,
       method,
       collect_list(value) AS vals
FROM metrics
WHERE run_id = :run_id
  AND metric = :metric
  AND class IS NULL
GROUP BY dataset, method
ORDER BY dataset, method
