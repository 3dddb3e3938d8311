package org.etat.app.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Users given as text, as in {@code ETAT_USERS=alice:secret:FINANCE,bob:pw:AUDITOR,COURT_OF_AUDIT}:
 * {@code name:password:ROLE}, then more roles or more users, separated by commas (or semicolons).
 * A part holding a colon starts a user; a part without one is one more role of the user before it.
 */
public record UserSpec(String name, String password, Set<String> roles) {

    public static List<UserSpec> parse(String text) {
        List<UserSpec> users = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return users;
        }
        String name = null;
        String password = null;
        Set<String> roles = null;
        for (String raw : text.split("[,;]")) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            int first = part.indexOf(':');
            int last = part.lastIndexOf(':');
            if (first >= 0) {
                if (name != null) {
                    users.add(new UserSpec(name, password, roles));
                }
                if (first == last || first == 0) {
                    throw new IllegalArgumentException("a user is name:password:ROLE, got \"" + part.substring(0, first) + ":...\"");
                }
                name = part.substring(0, first);
                password = part.substring(first + 1, last);
                roles = new LinkedHashSet<>();
                roles.add(role(part.substring(last + 1)));
            } else {
                if (name == null) {
                    throw new IllegalArgumentException("a role without a user: " + part);
                }
                roles.add(role(part));
            }
        }
        if (name != null) {
            users.add(new UserSpec(name, password, roles));
        }
        for (UserSpec u : users) {
            if (u.password().isEmpty()) {
                throw new IllegalArgumentException("user " + u.name() + " has an empty password");
            }
        }
        return users;
    }

    private static String role(String text) {
        String role = text.trim().toUpperCase(Locale.ROOT);
        if (role.startsWith("ROLE_")) {
            role = role.substring(5);
        }
        if (!Roles.ALL.contains(role)) {
            throw new IllegalArgumentException("unknown role " + text + "; roles are " + Roles.ALL);
        }
        return role;
    }

    @Override
    public String toString() {
        return name + ":****:" + String.join(",", roles);
    }
}
