-- Overall metrics of every cell (dataset x method x seed x fold) of the run the leaderboard shows.
-- Views: report_metrics (the runs the report may show), leaderboard_run (the run_id, or the pooled ones).
SELECT m.dataset, m.method, m.seed, m.fold, m.metric, m.value
FROM report_metrics m
JOIN leaderboard_run r ON m.run_id = r.run_id
WHERE m.class IS NULL
ORDER BY m.dataset, m.method, m.metric, m.seed, m.fold
