package org.etat.app.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code etat.security.*}: the mode switch (embedded users or an OAuth2/JWT resource server), the
 * configured users with bcrypt hashes, and the JWT claims to read.
 */
@ConfigurationProperties("etat.security")
public class EtatSecurityProperties {

    public enum Mode {
        /** Users from configuration (bcrypt hashes) and {@code ETAT_USERS}; HTTP Basic. */
        EMBEDDED,
        /** An OAuth2 resource server: bearer JWTs, roles from a configurable claim. */
        JWT
    }

    private Mode mode = Mode.EMBEDDED;
    private List<User> users = new ArrayList<>();
    private final Jwt jwt = new Jwt();

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public List<User> getUsers() {
        return users;
    }

    public void setUsers(List<User> users) {
        this.users = users;
    }

    public Jwt getJwt() {
        return jwt;
    }

    /** A configured user: the password is a bcrypt hash ({@code $2a$...}), never plain text. */
    public static class User {
        private String name;
        private String passwordHash;
        private List<String> roles = new ArrayList<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPasswordHash() {
            return passwordHash;
        }

        public void setPasswordHash(String passwordHash) {
            this.passwordHash = passwordHash;
        }

        public List<String> getRoles() {
            return roles;
        }

        public void setRoles(List<String> roles) {
            this.roles = roles;
        }
    }

    public static class Jwt {
        /** Claim holding the roles; a dotted path reaches into objects, e.g. {@code realm_access.roles}. */
        private String rolesClaim = "roles";
        /** Claim naming the principal recorded with every write. */
        private String principalClaim = "sub";

        public String getRolesClaim() {
            return rolesClaim;
        }

        public void setRolesClaim(String rolesClaim) {
            this.rolesClaim = rolesClaim;
        }

        public String getPrincipalClaim() {
            return principalClaim;
        }

        public void setPrincipalClaim(String principalClaim) {
            this.principalClaim = principalClaim;
        }
    }
}
