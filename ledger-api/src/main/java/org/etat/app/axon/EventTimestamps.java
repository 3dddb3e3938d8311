package org.etat.app.axon;

import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.common.DateTimeUtils;

/**
 * The event table's {@code time_stamp} text, exactly as Axon's {@link DateTimeUtils#formatInstant}
 * writes it ({@code 2026-11-24T21:57:01.123Z}, milliseconds, UTC), without a DateTimeFormatter:
 * that formatter cost as much per appended event as binding all its other columns.
 */
public final class EventTimestamps {

    private EventTimestamps() {
    }

    public static String format(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400L));
        int year = day.getYear();
        if (year < 1000 || year > 9999) {
            return DateTimeUtils.formatInstant(instant);
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        int millis = instant.getNano() / 1_000_000;
        byte[] t = new byte[24];
        digits(t, 0, year, 4);
        t[4] = '-';
        digits(t, 5, day.getMonthValue(), 2);
        t[7] = '-';
        digits(t, 8, day.getDayOfMonth(), 2);
        t[10] = 'T';
        digits(t, 11, secondOfDay / 3600, 2);
        t[13] = ':';
        digits(t, 14, secondOfDay / 60 % 60, 2);
        t[16] = ':';
        digits(t, 17, secondOfDay % 60, 2);
        t[19] = '.';
        digits(t, 20, millis, 3);
        t[23] = 'Z';
        return new String(t, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
