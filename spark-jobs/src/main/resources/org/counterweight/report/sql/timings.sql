-- Mean seconds per stage and method over all cells of the leaderboard run.
SELECT t.method, t.stage, avg(t.seconds) AS seconds, count(*) AS cells
FROM report_timings t
JOIN leaderboard_run r ON t.run_id = r.run_id
GROUP BY t.method, t.stage
ORDER BY t.method, t.stage
