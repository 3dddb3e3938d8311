package org.etat.app.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random and malformed request bodies, grown from a valid template: fields dropped, replaced by
 * values of the wrong type or form (numbers for amounts, third decimals, signs, huge values, bad
 * dates, long strings, control characters), unknown fields added, nesting changed, or the text
 * itself cut or garbled.
 */
final class RandomBodies {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] AMOUNTS = {"1.00", "0", "0.5", "1.234", "-1.00", "-0", "1e3", "+5", "01.00", "1,00", " 1.00",
            "99999999999999999999", "1000000000000000.00", "999999999999999.99", "NaN", "", "12.", ".5", "١٢", "1.0000000001"};
    private static final String[] DATES = {"2024-03-01", "2024-02-30", "2023-12-31", "2024-13-01", "24-03-01", "2024-3-1", "",
            "2024-03-01T00:00:00Z", "+999999999-12-31", "2025-01-01"};
    private static final String[] TEXTS = {"", " ", "x", "Ruhrkonferenz", "\u0000", "\uD83D\uDCB6", "'; DROP TABLE domain_event_entry; --",
            "2024-08030-54669", "2024-08030-68469", "2023-08030-54669", "9999-99999-99999", "EXPENDITURE", "REVENUE", "COVER_GROUP", "TG69"};

    private final Random random;

    RandomBodies(Random random) {
        this.random = random;
    }

    String body(JsonNode template) {
        int mode = random.nextInt(20);
        if (mode == 0) {
            return garbage();
        }
        JsonNode mutated = template.deepCopy();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutated = mutate(mutated, 0);
        }
        String text = Api.JSON.writeValueAsString(mutated);
        if (mode == 1 && text.length() > 2) {
            return text.substring(0, random.nextInt(text.length())); // cut off
        }
        if (mode == 2) {
            char[] chars = text.toCharArray();
            String noise = "{}[]\",:\\x0 ";
            chars[random.nextInt(chars.length)] = noise.charAt(random.nextInt(noise.length()));
            return new String(chars);
        }
        return text;
    }

    private JsonNode mutate(JsonNode node, int depth) {
        if (node instanceof ObjectNode object && object.size() > 0 && depth < 4) {
            List<String> names = new ArrayList<>(object.propertyNames());
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(6)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(name, value());
                case 2 -> object.set("unexpected" + random.nextInt(3), value());
                case 3 -> object.set(name, mutate(object.get(name), depth + 1));
                case 4 -> object.putNull(name);
                default -> object.set(name, value());
            }
            return object;
        }
        if (node instanceof ArrayNode array && depth < 4) {
            if (array.size() > 0 && random.nextBoolean()) {
                int i = random.nextInt(array.size());
                array.set(i, mutate(array.get(i), depth + 1));
            } else if (random.nextBoolean()) {
                array.add(array.size() > 0 ? array.get(0).deepCopy() : value());
            } else {
                array.add(value());
            }
            return array;
        }
        return value();
    }

    private JsonNode value() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.numberNode(random.nextInt(2_000_000) - 1_000_000);
            case 1 -> NODES.numberNode(random.nextDouble() * 1e6);
            case 2 -> NODES.stringNode(AMOUNTS[random.nextInt(AMOUNTS.length)]);
            case 3 -> NODES.stringNode(DATES[random.nextInt(DATES.length)]);
            case 4 -> NODES.stringNode(TEXTS[random.nextInt(TEXTS.length)]);
            case 5 -> NODES.stringNode("y".repeat(random.nextInt(3_000)));
            case 6 -> NODES.booleanNode(random.nextBoolean());
            case 7 -> NODES.nullNode();
            case 8 -> NODES.arrayNode().add(NODES.stringNode("1.00")).add(1);
            case 9 -> NODES.objectNode().put("kind", "CONSENT").put("reference", TEXTS[random.nextInt(TEXTS.length)]);
            case 10 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            default -> NODES.stringNode(AMOUNTS[random.nextInt(AMOUNTS.length)]);
        };
    }

    private String garbage() {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "null";
            case 2 -> "[]";
            case 3 -> "\"just a string\"";
            case 4 -> "[".repeat(2_000);
            default -> {
                StringBuilder sb = new StringBuilder();
                int n = random.nextInt(200);
                for (int i = 0; i < n; i++) {
                    sb.append((char) (random.nextInt(0x2FF)));
                }
                yield sb.toString();
            }
        };
    }


}
