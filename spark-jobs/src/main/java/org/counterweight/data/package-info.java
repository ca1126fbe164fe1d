/**
 * The data layer: reading and validating CSV, Parquet and LibSVM into the frame contract
 * ({@link org.counterweight.data.Columns}), label indexing, atomic writers, the built-in
 * datasets and the synthetic generator.
 */
package org.counterweight.data;
