package org.counterweight.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A report as a list of blocks, rendered to Markdown ({@link MarkdownRenderer}) and to
 * self-contained HTML ({@link HtmlRenderer}) from the same content.
 */
public final class ReportDocument {

    /** A piece of the report. */
    public sealed interface Block permits Heading, Paragraph, Table, Chart {
    }

    /** A section heading (level 1 = title). */
    public record Heading(int level, String text) implements Block {
    }

    /** Plain text. */
    public record Paragraph(String text) implements Block {
    }

    /** A table cell; {@code strong} marks e.g. the best value of a column. */
    public record Cell(String text, boolean strong) {
        /** A plain cell. */
        public static Cell of(String text) {
            return new Cell(text, false);
        }
    }

    /** A table with a header row. */
    public record Table(List<String> header, List<List<Cell>> rows) implements Block {
    }

    /**
     * A chart as an SVG document.
     *
     * @param name file name stem (unique within the report), used for the Markdown's SVG file
     * @param alt  a text description
     * @param svg  the SVG document
     */
    public record Chart(String name, String alt, String svg) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    /** An empty document. */
    public ReportDocument(String title) {
        this.title = title;
    }

    /** The title. */
    public String title() {
        return title;
    }

    /** Appends a block. */
    public ReportDocument add(Block b) {
        blocks.add(b);
        return this;
    }

    /** The blocks in order. */
    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** The charts in order. */
    public List<Chart> charts() {
        return blocks.stream().filter(Chart.class::isInstance).map(Chart.class::cast).toList();
    }
}
