package org.etat.app.importer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code ;}-separated text into records: optional UTF-8 byte-order mark, LF or CRLF, fields
 * quoted or not ({@code ""} is a quote inside a quoted field, and a quoted field may hold {@code ;}).
 * Each record remembers the line it starts on.
 */
final class SemicolonCsv {

    /** One record: its 1-based starting line and its fields. */
    record Record(int line, List<String> fields) {
        String field(int index) {
            return index < fields.size() ? fields.get(index) : null;
        }
    }

    /** A field longer than this is a broken file (e.g. an unclosed quote), not a budget title. */
    static final int MAX_FIELD_CHARS = 10_000;

    private SemicolonCsv() {
    }

    static List<Record> parse(SourceFile file) {
        String text = decode(file);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean atFieldStart = true;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && atFieldStart) {
                quoted = true;
                atFieldStart = false;
            } else if (c == ';') {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
            } else if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                continue; // the \n ends the record
            } else if (c == '\n') {
                fields.add(field.toString());
                records.add(new Record(recordLine, List.copyOf(fields)));
                fields.clear();
                field.setLength(0);
                atFieldStart = true;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                atFieldStart = false;
            }
            if (field.length() > MAX_FIELD_CHARS) {
                throw new MalformedRowException(file.fileName(), recordLine, null,
                        "field longer than " + MAX_FIELD_CHARS + " characters (unclosed quote?)");
            }
        }
        if (quoted) {
            throw new MalformedRowException(file.fileName(), recordLine, null, "quoted field is not closed");
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(new Record(recordLine, List.copyOf(fields)));
        }
        return records;
    }

    private static String decode(SourceFile file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file.bytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRowException(file.fileName(), 0, null, "file is not UTF-8 text");
        }
    }
}
