package org.etat.app.importer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;

/**
 * Reads the Ist spreadsheet ({@code bund_ist_<Y>.xlsx}, first sheet) with Apache POI's package reader,
 * streaming the sheet's XML instead of building POI's object model of the whole workbook (which took
 * as long as importing the year). Numeric cells are binary doubles, read exactly as POI reads them
 * ({@code Double.parseDouble} of the stored value); an amount is accepted only if its double is
 * exactly that of a cent amount (see {@link Amounts#doubleEurosToCents}), so no rounding can change a
 * value unnoticed.
 */
public final class IstXlsxParser {

    /** The sheet has six columns; cells beyond are ignored. */
    private static final int COLUMNS = 6;

    public IstSheet parse(SourceFile file) {
        IstRowReader reader = new IstRowReader(file);
        try (OPCPackage pkg = OPCPackage.open(new ByteArrayInputStream(file.bytes()))) {
            XSSFReader xssf = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            Iterator<InputStream> sheets = xssf.getSheetsData();
            if (!sheets.hasNext()) {
                throw new MalformedRowException(file.fileName(), 0, null, "workbook has no sheet");
            }
            try (InputStream sheet = sheets.next()) {
                read(file, sheet, strings, reader);
            }
        } catch (MalformedRowException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedRowException(file.fileName(), 0, null, "not a readable xlsx workbook: " + e.getMessage());
        }
        return reader.finish();
    }

    private static void read(SourceFile file, InputStream sheet, ReadOnlySharedStringsTable strings, IstRowReader reader) throws Exception {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader xml = factory.createXMLStreamReader(sheet);
        int rowNumber = 0;
        IstRowReader.Cell[] cells = null;
        int width = 0;
        int column = -1;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT && "row".equals(xml.getLocalName())) {
                String r = xml.getAttributeValue(null, "r");
                rowNumber = r == null ? rowNumber + 1 : Integer.parseInt(r);
                if (rowNumber > IstRowReader.MAX_ROWS + 1) {
                    throw new MalformedRowException(file.fileName(), rowNumber, null, "more than " + IstRowReader.MAX_ROWS + " rows");
                }
                cells = new IstRowReader.Cell[COLUMNS];
                width = 0;
                column = -1;
            } else if (event == XMLStreamConstants.START_ELEMENT && "c".equals(xml.getLocalName()) && cells != null) {
                String ref = xml.getAttributeValue(null, "r");
                column = ref == null ? column + 1 : columnOf(ref);
                String type = xml.getAttributeValue(null, "t");
                IstRowReader.Cell cell = cell(file, rowNumber, ref, type, xml, strings);
                if (column < COLUMNS) {
                    cells[column] = cell;
                    width = Math.max(width, column + 1);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && "row".equals(xml.getLocalName()) && cells != null) {
                List<IstRowReader.Cell> row = new ArrayList<>(Arrays.asList(cells).subList(0, width));
                row.replaceAll(c -> c == null ? IstRowReader.Cell.BLANK : c);
                reader.accept(rowNumber, row);
                cells = null;
            }
        }
    }

    /** Reads one {@code <c>} element to its end: the stored value {@code <v>} or inline text {@code <is>}. */
    private static IstRowReader.Cell cell(SourceFile file, int row, String ref, String type, XMLStreamReader xml,
            ReadOnlySharedStringsTable strings) throws Exception {
        StringBuilder value = null;
        StringBuilder inline = null;
        int depth = 1;
        String in = null;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                String name = xml.getLocalName();
                if ("v".equals(name)) {
                    value = new StringBuilder();
                    in = "v";
                } else if ("t".equals(name)) {
                    inline = inline == null ? new StringBuilder() : inline;
                    in = "t";
                } else {
                    in = null;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
                in = null;
            } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) && in != null) {
                ("v".equals(in) ? value : inline).append(xml.getText());
            }
        }
        String t = type == null ? "n" : type;
        switch (t) {
            case "s":
                return value == null ? IstRowReader.Cell.BLANK : IstRowReader.Cell.text(strings.getItemAt(Integer.parseInt(value.toString().trim())).getString());
            case "inlineStr":
                return IstRowReader.Cell.text(inline == null ? "" : inline.toString());
            case "str":
                return IstRowReader.Cell.text(value == null ? "" : value.toString());
            case "n":
                return value == null || value.isEmpty() ? IstRowReader.Cell.BLANK : IstRowReader.Cell.number(Double.parseDouble(value.toString()));
            default:
                String kind = switch (t) {
                    case "b" -> "BOOLEAN";
                    case "e" -> "ERROR";
                    default -> t.toUpperCase(java.util.Locale.ROOT);
                };
                throw new MalformedRowException(file.fileName(), row, ref, "unexpected " + kind + " cell");
        }
    }

    /** 0-based column of a cell reference such as {@code F12}. */
    private static int columnOf(String ref) {
        int column = 0;
        for (int i = 0; i < ref.length() && Character.isLetter(ref.charAt(i)); i++) {
            column = column * 26 + (Character.toUpperCase(ref.charAt(i)) - 'A' + 1);
        }
        return column - 1;
    }
}
