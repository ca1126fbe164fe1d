-- Tuning per method over the cells of the leaderboard run: its budget (param tune.candidates:
-- candidate trainings per cell), how the kept candidate was selected (tune.selection) and the
-- value kept for each tuned key (the keys listed in tune.params), with the number of cells of each.
-- Stores written before the params table hold the kept values as tuned_<param> metrics: read too.
-- Views: report_params, report_metrics, leaderboard_run.
WITH cell_params AS (
  SELECT p.run_id, p.dataset, p.method, p.seed, p.fold, p.param, p.value
  FROM report_params p
  JOIN leaderboard_run r ON p.run_id = r.run_id
),
tuned_keys AS (
  SELECT run_id, dataset, method, seed, fold, explode(split(value, ',')) AS param
  FROM cell_params
  WHERE param = 'tune.params' AND value <> ''
),
kept AS (
  SELECT c.method, c.param, c.value
  FROM cell_params c
  JOIN tuned_keys t ON c.run_id = t.run_id AND c.dataset = t.dataset AND c.method = t.method
    AND c.seed = t.seed AND c.fold = t.fold AND c.param = t.param
  UNION ALL
  SELECT method, param, value
  FROM cell_params
  WHERE param IN ('tune.candidates', 'tune.selection')
  UNION ALL
  SELECT m.method, substring(m.metric, 7) AS param, CAST(m.value AS STRING) AS value
  FROM report_metrics m
  JOIN leaderboard_run r ON m.run_id = r.run_id
  WHERE left(m.metric, 6) = 'tuned_' AND m.class IS NULL
)
SELECT method, param, value, count(*) AS cells
FROM kept
GROUP BY method, param, value
ORDER BY method, param, value
