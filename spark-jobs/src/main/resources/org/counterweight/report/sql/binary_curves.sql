-- ROC and precision-recall points of the binary datasets (two classes with a support row),
-- one curve per cell, in point order.
WITH binary_datasets AS (
  SELECT m.dataset
  FROM report_metrics m
  JOIN leaderboard_run r ON m.run_id = r.run_id
  WHERE m.metric = 'support'
  GROUP BY m.dataset
  HAVING count(DISTINCT m.class) = 2
)
SELECT c.dataset, c.method, c.seed, c.fold, c.curve, c.class, c.point, c.x, c.y
FROM report_curves c
JOIN leaderboard_run r ON c.run_id = r.run_id
JOIN binary_datasets b ON c.dataset = b.dataset
ORDER BY c.dataset, c.method, c.curve, c.seed, c.fold, c.point
