-- Mean recall of each class per dataset and method, over the seeds and folds of the leaderboard run.
SELECT m.dataset, m.method, m.class, avg(m.value) AS recall, count(*) AS cells
FROM report_metrics m
JOIN leaderboard_run r ON m.run_id = r.run_id
WHERE m.metric = 'recall'
GROUP BY m.dataset, m.method, m.class
ORDER BY m.dataset, m.method, m.class
