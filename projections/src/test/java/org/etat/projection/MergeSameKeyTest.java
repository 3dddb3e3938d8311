package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both legs of a move in one batch become one row, as the upsert's coalesce would have made them. */
class MergeSameKeyTest {

    @Test
    void legsOfOneMoveInOneBatchBecomeOneRowWithBothEventIds() {
        List<Object[]> rows = new ArrayList<>(List.of(
                new Object[] {"a", 100L, "out-a", null},
                new Object[] {"a", 100L, null, "in-a"},
                new Object[] {"b", 5L, null, "in-b"},
                new Object[] {"c", 7L, "out-c", null},
                new Object[] {"c", 7L, null, "in-c"}));

        Projector.mergeSameKey(rows);

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsExactly("a", 100L, "out-a", "in-a");
        assertThat(rows.get(1)).containsExactly("b", 5L, null, "in-b");
        assertThat(rows.get(2)).containsExactly("c", 7L, "out-c", "in-c");
    }

    @Test
    void theFirstNonNullValueWinsLikeTheExistingRowInTheUpsert() {
        List<Object[]> rows = new ArrayList<>(List.of(
                new Object[] {"k", "first", null},
                new Object[] {"k", "second", "filled"}));

        Projector.mergeSameKey(rows);

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsExactly("k", "first", "filled");
    }
}
