package org.etat.app.http;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.money.Money;
import org.etat.ledger.money.MoneyFormatException;
import tools.jackson.databind.JsonNode;

/**
 * Strict reader of one JSON object of a request. It checks shapes only (types, formats, lengths,
 * presence), never budget law, and collects every offending field instead of stopping at the first.
 */
final class Fields {

    /** Compiled once: a batch checks it per entry. */
    private static final java.util.regex.Pattern ISO_DATE = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    /** Above this many errors a request is refused without listing more: the answer stays bounded. */
    static final int MAX_ERRORS = 10_000;

    private final JsonNode node;
    private final String prefix;
    private final Errors errors;

    private Fields(JsonNode node, String prefix, Errors errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    /** The request body; it must be a JSON object with only the given fields. */
    static Fields body(JsonNode body, Set<String> allowed) {
        Errors errors = new Errors();
        if (body == null || !body.isObject()) {
            errors.add("", "request body must be a JSON object");
            throw new InvalidRequestException(errors.list);
        }
        Fields f = new Fields(body, "", errors);
        f.allowOnly(allowed);
        return f;
    }

    /** Throws a 400 naming every offending field, if any. */
    void done() {
        if (!errors.list.isEmpty()) {
            throw new InvalidRequestException(errors.list);
        }
    }

    boolean valid() {
        return errors.list.isEmpty();
    }

    private void allowOnly(Set<String> allowed) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                errors.add(path(name), "unknown field");
            }
        }
    }

    private String path(String name) {
        return prefix + name;
    }

    /** The value, or null when absent or JSON null; records "is required" when required. */
    private JsonNode value(String name, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(path(name), "is required");
            }
            return null;
        }
        return v;
    }

    String text(String name, boolean required, int maxLength) {
        JsonNode v = value(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isString()) {
            errors.add(path(name), "must be a string");
            return null;
        }
        String s = v.stringValue();
        if (required && s.isBlank()) {
            errors.add(path(name), "must not be blank");
            return null;
        }
        if (s.length() > maxLength) {
            errors.add(path(name), "is longer than " + maxLength + " characters");
            return null;
        }
        return s;
    }

    /** A non-negative amount as a decimal string, in cents; 0 when invalid (the request is refused anyway). */
    long amount(String name) {
        return amount(name, false);
    }

    /** A signed amount (a supplementary budget may cut): {@code "-1000.00"}. */
    long signedAmount(String name) {
        return amount(name, true);
    }

    private long amount(String name, boolean signed) {
        JsonNode v = value(name, true);
        if (v == null) {
            return 0;
        }
        if (!v.isString()) {
            errors.add(path(name), "amount must be a decimal string, like \"196270.47\"");
            return 0;
        }
        try {
            return signed ? Money.parseSignedCents(v.stringValue()) : Money.parseCents(v.stringValue());
        } catch (MoneyFormatException e) {
            errors.add(path(name), e.getMessage());
            return 0;
        }
    }

    LocalDate date(String name, boolean required) {
        JsonNode v = value(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isString()) {
            errors.add(path(name), "must be an ISO-8601 date string, like \"2024-03-15\"");
            return null;
        }
        String s = v.stringValue();
        if (!ISO_DATE.matcher(s).matches()) {
            errors.add(path(name), "must be an ISO-8601 date, like \"2024-03-15\"");
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            errors.add(path(name), "is not a calendar date: \"" + s + "\"");
            return null;
        }
    }

    /** A budget line id such as {@code 2024-08030-54669}, checked for its form only. */
    String lineId(String name) {
        String s = text(name, true, 32);
        return s == null ? null : lineIdText(path(name), s, errors);
    }

    static String lineIdText(String field, String s, Errors errors) {
        try {
            return BudgetLineId.parse(s).toString();
        } catch (LedgerRejection e) {
            errors.add(field, e.detail());
            return null;
        }
    }

    boolean bool(String name, boolean defaultValue) {
        JsonNode v = value(name, false);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            errors.add(path(name), "must be true or false");
            return defaultValue;
        }
        return v.booleanValue();
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, boolean required, E defaultValue) {
        JsonNode v = value(name, required);
        if (v == null) {
            return defaultValue;
        }
        if (v.isString()) {
            String s = v.stringValue().toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s)) {
                    return e;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name());
        }
        errors.add(path(name), "must be one of " + names);
        return defaultValue;
    }

    /** A nested object with only the given fields, or null. */
    Fields object(String name, boolean required, Set<String> allowed) {
        JsonNode v = value(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            errors.add(path(name), "must be a JSON object");
            return null;
        }
        Fields f = new Fields(v, path(name) + ".", errors);
        f.allowOnly(allowed);
        return f;
    }

    /** An array of objects (each with only the given fields), at most {@code maxSize} long. */
    List<Fields> objects(String name, boolean required, int minSize, int maxSize, Set<String> allowed) {
        JsonNode v = value(name, required);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            errors.add(path(name), "must be a JSON array");
            return List.of();
        }
        if (v.size() < minSize || v.size() > maxSize) {
            errors.add(path(name), "must hold " + minSize + " to " + maxSize + " elements, got " + v.size());
            return List.of();
        }
        List<Fields> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode element = v.get(i);
            String p = path(name) + "[" + i + "]";
            if (element == null || !element.isObject()) {
                errors.add(p, "must be a JSON object");
                out.add(null);
                continue;
            }
            Fields f = new Fields(element, p + ".", errors);
            f.allowOnly(allowed);
            out.add(f);
        }
        return out;
    }

    /** Runs a domain value constructor; its refusal of the shape becomes an error of this field. */
    <T> T construct(String name, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (LedgerRejection e) {
            errors.add(path(name), e.detail());
            return null;
        }
    }

    /** The errors of one request; bounded by {@link #MAX_ERRORS}. */
    static final class Errors {
        final List<FieldError> list = new ArrayList<>();

        void add(String field, String detail) {
            if (list.size() < MAX_ERRORS) {
                list.add(new FieldError(field, detail));
            }
        }
    }
}
