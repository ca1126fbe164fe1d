-- Runs the report may show (finished, plus unfinished ones asked for), newest first; the report filters them by --run-id / --since.
SELECT run_id, experiment, started, finished, config_hash, code_version, spark_master, status
FROM report_runs
ORDER BY started DESC
