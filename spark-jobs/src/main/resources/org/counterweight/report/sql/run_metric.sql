-- The metric the leaderboard run's experiment config ranks methods by (the params row
-- experiment.metric of its cells), most cells first: the report's default metric. Empty for
-- stores written before the row. Views: report_params, leaderboard_run.
SELECT p.value AS metric, count(*) AS cells
FROM report_params p
JOIN leaderboard_run r ON p.run_id = r.run_id
WHERE p.param = 'experiment.metric'
GROUP BY p.value
ORDER BY cells DESC, metric
