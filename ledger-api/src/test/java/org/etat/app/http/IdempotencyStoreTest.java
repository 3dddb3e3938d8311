package org.etat.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The key table on real PostgreSQL: claim, replay, mismatch, in progress, release, stale take-over. */
class IdempotencyStoreTest {

    static JdbcTemplate jdbc;
    static IdempotencyStore store;

    @BeforeAll
    static void database() {
        DataSource ds = TestDatabase.create().dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        store = new IdempotencyStore(jdbc, Duration.ofMinutes(2));
    }

    static byte[] sha(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_first_claim_wins_a_second_waits_and_after_completion_replays() {
        assertThat(store.claim("k1", sha("a"), "finance")).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim("k1", sha("a"), "finance")).isInstanceOf(IdempotencyStore.InProgress.class);
        assertThat(store.claim("k1", sha("b"), "finance")).isInstanceOf(IdempotencyStore.Mismatch.class);

        store.complete("k1", 201, Map.of("Location", "/api/v1/entries/e1"), sha("{\"eventIds\":[\"e1\"]}"));

        IdempotencyStore.Claim again = store.claim("k1", sha("a"), "finance");
        assertThat(again).isInstanceOf(IdempotencyStore.Replay.class);
        IdempotencyStore.Replay replay = (IdempotencyStore.Replay) again;
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.headers()).containsEntry("Location", "/api/v1/entries/e1");
        assertThat(new String(replay.body(), StandardCharsets.UTF_8)).isEqualTo("{\"eventIds\":[\"e1\"]}");
        assertThat(store.claim("k1", sha("b"), "finance")).isInstanceOf(IdempotencyStore.Mismatch.class);
    }

    @Test
    void a_released_key_can_be_claimed_again_even_for_another_request() {
        store.claim("k2", sha("a"), "finance");
        store.release("k2");

        assertThat(store.claim("k2", sha("other"), "finance")).isInstanceOf(IdempotencyStore.Claimed.class);
    }

    @Test
    void a_claim_left_by_a_crashed_node_is_taken_over_after_the_stale_period_but_a_completed_key_never_is() {
        store.claim("k3", sha("a"), "finance");
        jdbc.update("UPDATE http_idempotency SET claimed_at = now() - interval '3 minutes' WHERE idempotency_key = 'k3'");

        assertThat(store.claim("k3", sha("a"), "finance")).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim("k3", sha("a"), "finance")).isInstanceOf(IdempotencyStore.InProgress.class);

        store.complete("k3", 201, Map.of(), sha("{}"));
        jdbc.update("UPDATE http_idempotency SET claimed_at = now() - interval '3 minutes' WHERE idempotency_key = 'k3'");
        store.release("k3");
        assertThat(store.claim("k3", sha("a"), "finance")).isInstanceOf(IdempotencyStore.Replay.class);
    }

    @Test
    void a_ledger_write_claims_its_key_once_and_a_repeat_of_the_same_request_is_told_apart() {
        assertThat(store.claimWithinTransaction("k4", sha("a"), "finance")).as("the first claim").isTrue();

        assertThat(store.claimWithinTransaction("k4", sha("a"), "finance")).as("the same request again: a repeat").isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM http_idempotency WHERE idempotency_key = 'k4'", Long.class)).isEqualTo(1);
    }

    @Test
    void a_key_claimed_for_another_request_refuses_the_claim_and_keeps_its_row() {
        store.claimWithinTransaction("k5", sha("a"), "finance");

        assertThatThrownBy(() -> store.claimWithinTransaction("k5", sha("b"), "finance"))
                .isInstanceOf(LedgerRejection.class)
                .extracting(e -> ((LedgerRejection) e).rule()).isEqualTo(Rule.IDEMPOTENCY_CONFLICT);
        assertThat(store.claimWithinTransaction("k5", sha("a"), "finance")).as("still the first request's").isFalse();
    }

    @Test
    void a_key_a_ledger_write_holds_is_refused_to_any_other_write() {
        store.claimWithinTransaction("k6", sha("ledger write"), "finance");

        assertThat(store.claim("k6", sha("rebuild"), "auditor")).isInstanceOf(IdempotencyStore.Mismatch.class);
    }
}
