package org.etat.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserSpecTest {

    @Test
    void users_and_extra_roles_are_told_apart_by_the_colon() {
        List<UserSpec> users = UserSpec.parse("alice:s3cret:FINANCE,bob:pw:auditor,COURT_OF_AUDIT;carol:a:b:BUDGET_ADMIN");

        assertThat(users).containsExactly(new UserSpec("alice", "s3cret", Set.of("FINANCE")),
                new UserSpec("bob", "pw", Set.of("AUDITOR", "COURT_OF_AUDIT")), new UserSpec("carol", "a:b", Set.of("BUDGET_ADMIN")));
    }

    @Test
    void unknown_roles_and_malformed_users_are_refused() {
        assertThatThrownBy(() -> UserSpec.parse("alice:pw:ADMIN")).hasMessageContaining("unknown role");
        assertThatThrownBy(() -> UserSpec.parse("FINANCE")).hasMessageContaining("without a user");
        assertThatThrownBy(() -> UserSpec.parse("alice::FINANCE")).hasMessageContaining("empty password");
        assertThat(UserSpec.parse("  ")).isEmpty();
    }
}
