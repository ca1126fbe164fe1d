-- One metric (parameter :metric) per selected finished run, dataset and method, averaged over
-- seeds and folds: the trend across scheduled runs.
SELECT r.run_id, r.started, m.dataset, m.method, avg(m.value) AS value
FROM report_metrics m
JOIN selected_runs r ON m.run_id = r.run_id
WHERE m.class IS NULL AND m.metric = :metric AND NOT isnan(m.value)
GROUP BY r.run_id, r.started, m.dataset, m.method
ORDER BY r.started, m.dataset, m.method
