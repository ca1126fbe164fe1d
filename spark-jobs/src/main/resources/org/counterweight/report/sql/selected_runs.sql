-- Finished runs, newest first; the report filters them by --run-id / --since.
SELECT run_id, experiment, started, finished, config_hash, code_version, spark_master
FROM finished_runs
ORDER BY started DESC
