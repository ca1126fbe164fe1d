-- Cells (dataset x method x seed x fold) that more than one of the pooled runs holds: pooling
-- them would count a cell twice. Views: report_metrics, leaderboard_run (the pooled run_ids).
SELECT m.dataset, m.method, m.seed, m.fold, array_sort(collect_set(m.run_id)) AS runs
FROM report_metrics m
JOIN leaderboard_run r ON m.run_id = r.run_id
WHERE m.class IS NULL
GROUP BY m.dataset, m.method, m.seed, m.fold
HAVING size(collect_set(m.run_id)) > 1
ORDER BY m.dataset, m.method, m.seed, m.fold
LIMIT 1
