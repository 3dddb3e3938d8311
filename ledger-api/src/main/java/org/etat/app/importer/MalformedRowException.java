package org.etat.app.importer;

/**
 * A row of a source file that the importer cannot read. Parsing stops at the first one: a budget
 * imported with a silently skipped row would not add up.
 */
public final class MalformedRowException extends RuntimeException {

    private final String fileName;
    private final int row;
    private final String column;
    private final String reason;

    public MalformedRowException(String fileName, int row, String column, String reason) {
        super(fileName + " row " + row + (column == null ? "" : ", column " + column) + ": " + reason);
        this.fileName = fileName;
        this.row = row;
        this.column = column;
        this.reason = reason;
    }

    public String fileName() {
        return fileName;
    }

    /** 1-based row of the file (the header is row 1), as a spreadsheet or text editor shows it. */
    public int row() {
        return row;
    }

    /** Header name of the offending column, or null when the row as a whole is wrong. */
    public String column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
