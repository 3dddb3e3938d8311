package org.etat.app.importer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Reads the Ist spreadsheet ({@code bund_ist_<Y>.xlsx}, first sheet) with Apache POI. Numeric cells
 * are binary doubles; an amount is accepted only if its double is exactly that of a cent amount
 * (see {@link Amounts#doubleEurosToCents}), so no rounding can change a value unnoticed.
 */
public final class IstXlsxParser {

    /** The sheet has six columns; cells beyond are ignored. */
    private static final int COLUMNS = 6;

    public IstSheet parse(SourceFile file) {
        IstRowReader reader = new IstRowReader(file);
        try (Workbook workbook = new XSSFWorkbook(new ByteArrayInputStream(file.bytes()))) {
            if (workbook.getNumberOfSheets() == 0) {
                throw new MalformedRowException(file.fileName(), 0, null, "workbook has no sheet");
            }
            Sheet sheet = workbook.getSheetAt(0);
            if (sheet.getLastRowNum() + 1 > IstRowReader.MAX_ROWS + 1) {
                throw new MalformedRowException(file.fileName(), sheet.getLastRowNum() + 1, null, "more than " + IstRowReader.MAX_ROWS + " rows");
            }
            for (int r = 0; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                if (row == null) {
                    continue;
                }
                reader.accept(r + 1, cells(file, row));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedRowException m) {
                throw m;
            }
            throw new MalformedRowException(file.fileName(), 0, null, "not a readable xlsx workbook: " + e.getMessage());
        }
        return reader.finish();
    }

    private static List<IstRowReader.Cell> cells(SourceFile file, Row row) {
        int last = Math.min(Math.max(row.getLastCellNum(), 0), COLUMNS);
        List<IstRowReader.Cell> cells = new ArrayList<>(last);
        for (int c = 0; c < last; c++) {
            cells.add(cell(file, row, row.getCell(c)));
        }
        return cells;
    }

    private static IstRowReader.Cell cell(SourceFile file, Row row, Cell cell) {
        if (cell == null) {
            return IstRowReader.Cell.BLANK;
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case STRING -> IstRowReader.Cell.text(cell.getStringCellValue());
            case NUMERIC -> IstRowReader.Cell.number(cell.getNumericCellValue());
            case BLANK -> IstRowReader.Cell.BLANK;
            default -> throw new MalformedRowException(file.fileName(), row.getRowNum() + 1,
                    cell.getAddress().formatAsString(), "unexpected " + type + " cell");
        };
    }
}
