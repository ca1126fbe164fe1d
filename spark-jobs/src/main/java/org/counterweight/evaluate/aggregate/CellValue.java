package org.counterweight.evaluate.aggregate;

/**
 * One overall metric's value in one cell of an experiment (a row of the results store's
 * {@code metrics} table with no class).
 *
 * @param dataset dataset name
 * @param method  method name
 * @param seed    random seed of the cell
 * @param fold    fold of the cell
 * @param metric  metric name, e.g. {@code balanced_accuracy}
 * @param value   the value; may be NaN (see the package's NaN policy)
 */
public record CellValue(String dataset, String method, long seed, int fold, String metric, double value) {
    /** Checks the names are present. */
    public CellValue {
        if (dataset == null || method == null || metric == null) {
            throw new IllegalArgumentException("a cell value needs a dataset, a method and a metric: " + dataset
                    + ", " + method + ", " + metric);
        }
    }
}
