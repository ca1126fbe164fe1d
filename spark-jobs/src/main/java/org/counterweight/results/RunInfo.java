package org.counterweight.results;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A row of the {@code runs} table: a run's provenance and status.
 *
 * @param runId       unique id, letters, digits, {@code . _ -}
 * @param experiment  experiment name
 * @param started     when the run first began; fixes its {@code run_date} partition
 * @param finished    when it finished or failed, null while running
 * @param configHash  hash of the experiment configuration
 * @param codeVersion {@link org.counterweight.Version#version()} of the code that ran it
 * @param sparkMaster the Spark master URL
 * @param status      life-cycle state
 */
public record RunInfo(String runId, String experiment, Instant started, Instant finished, String configHash,
                      String codeVersion, String sparkMaster, RunStatus status) {
    /** The {@code run_date} partition: the UTC date the run started. */
    public LocalDate runDate() {
        return LocalDate.ofInstant(started, ZoneOffset.UTC);
    }
}
